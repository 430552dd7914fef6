import { z } from 'zod';

/**
 * `GET /resources` (acl): the admin ACL resource tree (children of `Magento_Backend::admin`,
 * Magento ids and titles) as the acl serves it from its catalog, siblings sorted by sortOrder and
 * every node with its children (the catalog file, read by the acl and the registry, has its own
 * schema: a leaf may leave `children` out there).
 */
export interface AclResourceTreeNode {
  id: string;
  title: string;
  sortOrder: number;
  children: AclResourceTreeNode[];
}

export const AclResourceTreeNodeSchema: z.ZodType<AclResourceTreeNode> = z.lazy(() =>
  z.object({
    id: z
      .string()
      .min(1)
      .meta({ examples: ['Magento_Catalog::products'] }),
    title: z.string(),
    sortOrder: z.number().int(),
    children: z.array(AclResourceTreeNodeSchema),
  }),
) as z.ZodType<AclResourceTreeNode>;

export const AclResourcesReplySchema = z.object({ resources: z.array(AclResourceTreeNodeSchema) });
export type AclResourcesReply = z.infer<typeof AclResourcesReplySchema>;
