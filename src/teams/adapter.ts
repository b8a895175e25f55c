import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config.js';

/**
 * With credentials, CloudAdapter verifies every request's Bot Framework JWT. Without them it accepts
 * anything: that is local development mode, bound to 127.0.0.1 by the config.
 */
export function createAdapter(config: Config, authOverrides: Record<string, unknown> = {}): TeamsAdapter {
  const settings = config.devMode
    ? {}
    : {
        MicrosoftAppId: config.bot.id,
        MicrosoftAppPassword: config.bot.password,
        MicrosoftAppTenantId: config.bot.tenantId,
        MicrosoftAppType: config.bot.type,
      };
  return new TeamsAdapter(
    { ...settings, ...authOverrides },
    new ConfigurationServiceClientCredentialFactory(settings),
  );
}
