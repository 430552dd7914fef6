/** Ids are UUIDs we generated; anything else cannot name an integration (answered 404, not 400). */
export const looksLikeIntegrationId = (id: string) => /^[A-Za-z0-9-]{1,64}$/.test(id);
