import { z } from 'zod';

/** A small fact about the data itself, e.g. which privacy guard version last checked the stored text. */
export const StoredMarkerSchema = z.object({ key: z.string().min(1), value: z.number(), at: z.string() });
export type StoredMarker = z.infer<typeof StoredMarkerSchema>;
