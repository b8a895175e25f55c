import {
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = NonNullable<AuthenticateRequestResult['connectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = AuthenticateRequestResult['claimsIdentity'];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;
type Logic = (context: TurnContext) => Promise<void>;

/** How many connector or token clients are kept: Teams uses a handful of service URLs. */
const MAX_KEPT_CLIENTS = 64;

/** The bot's app id as Bot Framework reads it from a request's claims (audience, else appid). */
function appIdOf(claims: ClaimsIdentity): string {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';
}

/**
 * Keeps one client per key, created on first use (a failed creation is not kept). Bounded: when
 * full it starts over.
 */
function keptClients<T>(): (key: string, create: () => Promise<T>) => Promise<T> {
  const kept = new Map<string, Promise<T>>();
  return (key, create) => {
    let client = kept.get(key);
    if (!client) {
      if (kept.size >= MAX_KEPT_CLIENTS) kept.clear();
      client = create();
      kept.set(key, client);
      client.catch(() => kept.get(key) === client && kept.delete(key));
    }
    return client;
  };
}

/** Not a rejection of the caller's token but a failure to check it (the signing keys could not be loaded). */
function isVerifierOutage(err: unknown): boolean {
  const e = err as { statusCode?: unknown; name?: unknown } | null;
  return (typeof e?.statusCode === 'number' && e.statusCode >= 500) || e?.name === 'FetchError';
}

export interface ChannelGate {
  /** The only Bot Framework channel served (with authentication on: "msteams"). */
  only: string;
  /** Records the refusal (an audit line); called before the 403 is answered. */
  refused(activity: Activity): Promise<void>;
}

/**
 * CloudAdapter answers 401 only for botframework-connector's AuthenticationError; a token that
 * jsonwebtoken itself rejects (HS256 "invalid algorithm", a bad signature, a malformed token) escapes
 * as a plain error and becomes a 500 carrying the library's message. Here the inbound request is
 * authenticated first and every rejection is answered 401 with a fixed body (503 when the signing
 * keys cannot be fetched, so the channel retries); the turn runs only for an authenticated request.
 */
export class BotAdapter extends TeamsAdapter {
  private readonly connectors = keptClients<ConnectorClient>();

  constructor(
    settings: ConstructorParameters<typeof TeamsAdapter>[0],
    credentialsFactory: ConfigurationServiceClientCredentialFactory,
    private readonly logger: Logger,
    private readonly channelGate?: ChannelGate,
  ) {
    super(settings, credentialsFactory);
    // CloudAdapter builds a user token client (OAuth sign-in, unused here) for every turn: one per
    // app id is enough, it holds only the app id and its credentials.
    const auth = this.botFrameworkAuthentication;
    const createUserTokenClient = auth.createUserTokenClient.bind(auth);
    const tokenClients = keptClients<UserTokenClient>();
    auth.createUserTokenClient = (claims) => tokenClients(appIdOf(claims), () => createUserTokenClient(claims));
  }

  /**
   * CloudAdapter builds a new ConnectorClient (an HTTP pipeline of a dozen policies) for every
   * inbound turn; a client holds only its service URL and the app's credentials (which renew their
   * own tokens), so one per app id, service URL and audience is shared by the turns, as the older
   * BotFrameworkAdapter did.
   */
  private sharedConnectors(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const factory = result.connectorFactory;
    if (!factory) return result;
    const appId = appIdOf(result.claimsIdentity);
    const connectorFactory: ConnectorFactory = {
      create: (serviceUrl, audience) =>
        this.connectors(JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
          factory.create(serviceUrl, audience),
        ),
    };
    return { ...result, connectorFactory };
  }

  protected override async processActivity(
    authHeader: string,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(this.sharedConnectors(auth), activity, logic);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (err) {
      const reason = String((err as Error)?.message ?? err).slice(0, 200);
      if (isVerifierOutage(err)) {
        this.logger.error({ reason }, 'could not verify a Bot Framework token: signing keys unavailable');
        return { status: 503, body: { error: 'authentication temporarily unavailable' } };
      }
      this.logger.warn(
        { reason, hasAuthorization: auth.trim() !== '' },
        'refused an unauthenticated request to /api/messages',
      );
      return { status: 401, body: { error: 'unauthorized' } };
    }
    // A valid token for another channel (Direct Line, Web Chat ...) is refused: there the client
    // chooses `from`, so nobody's identity could be trusted.
    const gate = this.channelGate;
    if (gate && activity.channelId !== gate.only) {
      const channel =
        typeof activity.channelId === 'string' ? activity.channelId.slice(0, 32) : typeof activity.channelId;
      this.logger.warn({ channel }, 'refused an activity from a channel other than Teams');
      await gate
        .refused(activity)
        .catch((err: Error) =>
          this.logger.error({ err: { message: err.message } }, 'could not record a refused channel'),
        );
      return { status: 403, body: { error: 'channel not served' } };
    }
    return super.processActivity(this.sharedConnectors(authenticated), activity, logic);
  }
}

/**
 * With credentials, CloudAdapter verifies every request's Bot Framework JWT. Without them it accepts
 * anything: that is local development mode, bound to 127.0.0.1 by the config.
 * `authOverrides` (tests) are spread over the auth settings: they must be a complete set of the
 * ConfigurationBotFrameworkAuthentication endpoint options (see test/helpers/jwt-issuer.ts).
 */
export function createAdapter(
  config: Config,
  authOverrides: Record<string, unknown> = {},
  logger?: Logger,
  onChannelRefused?: (activity: Activity) => Promise<void>,
): BotAdapter {
  const settings = config.devMode
    ? {}
    : {
        MicrosoftAppId: config.bot.id,
        MicrosoftAppPassword: config.bot.password,
        MicrosoftAppTenantId: config.bot.tenantId,
        MicrosoftAppType: config.bot.type,
      };
  // With authentication on only Teams is served; local development (the Agents Playground) sends "msteams" too.
  const gate: ChannelGate | undefined = config.devMode
    ? undefined
    : { only: 'msteams', refused: onChannelRefused ?? (async () => undefined) };
  return new BotAdapter(
    { ...settings, ...authOverrides },
    new ConfigurationServiceClientCredentialFactory(settings),
    logger ?? createLogger(config.logLevel),
    gate,
  );
}
