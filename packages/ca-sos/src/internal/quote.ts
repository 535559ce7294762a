/**
 * Upstream text quoted in a message, cut to its first 80 characters: a field can be megabytes long, and a
 * message is read by people and stored with every error.
 */
export const quote = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
