import { z } from 'zod';

/**
 * The admin ACL resource tree (children of `Magento_Backend::admin`, Magento ids and titles): the
 * catalog file that the acl and the registry both read at boot (`ACL_CATALOG_FILE`), and the tree
 * the acl serves to the gateway. One node schema for both, strict: a typo in the file is an error
 * at boot, not a silently dropped field.
 */
export interface AclResourceNode {
  id: string;
  title: string;
  sortOrder: number;
  children: AclResourceNode[];
}

export const AclResourceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]+_[A-Za-z0-9]+::[A-Za-z0-9_]+$/, 'must look like Vendor_Module::resource');

export const AclResourceNodeSchema: z.ZodType<AclResourceNode> = z.lazy(() =>
  z.strictObject({
    id: AclResourceIdSchema,
    title: z.string().min(1),
    /** Siblings are shown by ascending sortOrder; equal ones keep file order. */
    sortOrder: z.number().int().default(0),
    children: z.array(AclResourceNodeSchema).default([]),
  }),
) as z.ZodType<AclResourceNode>;

/** The catalog file: `{"resources": [node, ...]}`, at least one. */
export const AclCatalogFileSchema = z.strictObject({ resources: z.array(AclResourceNodeSchema).min(1) });

/** `GET /resources` (acl) reply: the tree, siblings sorted by sortOrder. */
export const AclResourcesReplySchema = z.object({ resources: z.array(AclResourceNodeSchema) });
export type AclResourcesReply = z.infer<typeof AclResourcesReplySchema>;
