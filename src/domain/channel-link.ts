import { z } from 'zod';

/** The shared police–municipality channel of an agreement. */
export const ChannelLinkSchema = z.object({
  agreementId: z.string().min(1),
  conversationId: z.string().min(1),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  tenantId: z.string().optional(),
  /** The channel's name when Teams gave it (shown on the status card). */
  channelName: z.string().optional(),
  linkedBy: z.string(),
  linkedAt: z.string(),
  /** Set when a coordinator turned the weekly summary off (it is on by default). */
  weeklySummaryOff: z.object({ at: z.string(), by: z.string() }).optional(),
});
export type ChannelLink = z.infer<typeof ChannelLinkSchema>;
