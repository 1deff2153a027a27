/** A positive whole number from the address (a page cursor, a status), or nothing: a mangled value reads from the newest. */
export const cursorOf = (text: string | null): number | undefined => (text && /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined);
