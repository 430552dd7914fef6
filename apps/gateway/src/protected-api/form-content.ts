/** `application/x-www-form-urlencoded`, whatever its parameters (charset) and case. */
export function isFormUrlencoded(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  return (
    (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() ===
    'application/x-www-form-urlencoded'
  );
}
