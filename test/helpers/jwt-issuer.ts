import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';

/** The issuer Bot Framework channels put in the tokens they send to bots (checked by CloudAdapter). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The audience of the bot's outgoing tokens (scope of its client-credentials token). */
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid = `test-key-${randomUUID().slice(0, 8)}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export interface MintOptions {
  /** Claims merged over the defaults (iss, aud, serviceurl, iat, nbf, exp). `undefined` removes one. */
  claims?: Record<string, unknown>;
  /** RS256 (default), RS384, RS512, or HS256 (signed with `hmacSecret`). */
  alg?: 'RS256' | 'RS384' | 'RS512' | 'HS256' | 'none';
  /** Key to sign with; default the issuer's published key. Use a key the issuer does not publish to forge. */
  key?: SigningKey;
  /** `kid` in the header; default the signing key's kid. */
  kid?: string;
  /** Seconds from now until `exp` (negative: already expired). Default 3600. */
  expiresIn?: number;
  hmacSecret?: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A stand-in for the Bot Framework token service on 127.0.0.1: OpenID metadata and a JWKS whose key
 * endorses "msteams", and a minter of channel→bot tokens with chosen claims, algorithm, key and expiry.
 * `authOverrides()` gives the complete set of ConfigurationBotFrameworkAuthentication settings that
 * point the bot here instead of login.botframework.com (setting only the OpenID URL is not enough:
 * the factory then treats every other setting as intentionally empty).
 */
export class JwtIssuer {
  readonly key: SigningKey;
  /** Keys published in the JWKS, each with the channels it endorses. */
  readonly published: { key: SigningKey; endorsements: string[] }[];
  /** Requests the issuer received (method and path), for asserting that the bot used it. */
  readonly requests: string[] = [];
  /** When set, the metadata endpoint answers this status (simulates an outage of the key service). */
  failMetadataWith?: number;
  url = '';
  private server?: Server;

  constructor(key: SigningKey = newSigningKey()) {
    this.key = key;
    this.published = [{ key, endorsements: ['msteams'] }];
  }

  /** Publishes another key (before the bot first fetches the JWKS: botbuilder caches it for 24 h). */
  publish(key: SigningKey, endorsements: string[]): this {
    this.published.push({ key, endorsements });
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /**
   * The complete override set for ConfigurationBotFrameworkAuthentication. Nothing points outside
   * 127.0.0.1: the login URL is plain http on loopback, which MSAL refuses before any request
   * ("authority_uri_insecure"), so a missing outgoing token fails loudly instead of calling Azure AD.
   */
  authOverrides(tenantId = 'botframework.com'): Record<string, unknown> {
    return {
      ToChannelFromBotLoginUrl: `${this.url}/${tenantId}`,
      ToChannelFromBotOAuthScope: BOT_FRAMEWORK_SCOPE,
      ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_ISSUER,
      ToBotFromChannelOpenIdMetadataUrl: this.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: `${this.url}/emulator/.well-known/openidconfiguration`,
      OAuthUrl: `${this.url}/oauth`,
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: true,
    };
  }

  /** A channel→bot token: by default valid for `audience` and `serviceUrl`, RS256, published key. */
  mint(audience: string, serviceUrl: string, opts: MintOptions = {}): string {
    const alg = opts.alg ?? 'RS256';
    const key = opts.key ?? this.key;
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      serviceurl: serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + (opts.expiresIn ?? 3600),
      iss: BOT_FRAMEWORK_ISSUER,
      aud: audience,
      ...opts.claims,
    };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    const header = { alg, typ: 'JWT', kid: opts.kid ?? key.kid, x5t: opts.kid ?? key.kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    let signature: Buffer;
    switch (alg) {
      case 'RS256':
      case 'RS384':
      case 'RS512':
        signature = sign(`sha${alg.slice(2)}`, Buffer.from(input), key.privateKey);
        break;
      case 'HS256':
        signature = createHmac('sha256', opts.hmacSecret ?? 'a shared secret the bot does not know')
          .update(input)
          .digest();
        break;
      case 'none':
        signature = Buffer.alloc(0);
        break;
    }
    return `${input}.${b64url(signature)}`;
  }

  /**
   * Puts an outgoing (bot→connector) token in botbuilder's token cache for this app id, so that replies
   * are signed without asking Azure AD. (MSAL, which botbuilder uses to fetch that token, insists on an
   * https authority and on instance discovery at login.microsoftonline.com: it cannot be pointed at a
   * local stub, so the cache is the offline seam.) Returns the token the connector will receive and a
   * function that takes it out of the (process-wide) cache again.
   */
  async seedOutgoingToken(
    appId: string,
    password: string,
    tenantId: string,
  ): Promise<{ token: string; remove: () => void }> {
    const factory = new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: password,
      MicrosoftAppTenantId: tenantId,
      MicrosoftAppType: 'SingleTenant',
    });
    const overrides = this.authOverrides(tenantId);
    const creds = (await factory.createCredentials(
      appId,
      BOT_FRAMEWORK_SCOPE,
      overrides.ToChannelFromBotLoginUrl as string,
      true,
    )) as unknown as {
      tokenCacheKey: string;
      constructor: { cache?: Map<string, { accessToken: string; expiresOn: Date }> };
    };
    const cache = creds.constructor.cache;
    if (!(cache instanceof Map) || typeof creds.tokenCacheKey !== 'string')
      throw new Error('botbuilder AppCredentials token cache not found: the seam changed');
    const accessToken = this.mint(BOT_FRAMEWORK_SCOPE, '', {
      claims: { appid: appId, aud: BOT_FRAMEWORK_SCOPE, serviceurl: undefined },
    });
    cache.set(creds.tokenCacheKey, { accessToken, expiresOn: new Date(Date.now() + 3600_000) });
    return { token: accessToken, remove: () => void cache.delete(creds.tokenCacheKey) };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    this.requests.push(`${req.method} ${path}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path.endsWith('/.well-known/openidconfiguration')) {
      if (this.failMetadataWith) return json(this.failMetadataWith, { error: 'unavailable' });
      return json(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${this.url}/authorize`,
        jwks_uri: `${this.url}/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && path === '/keys') {
      return json(200, {
        keys: this.published.map(({ key, endorsements }) => {
          const jwk = key.publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
          return { kty: jwk.kty, use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e, endorsements };
        }),
      });
    }
    json(404, { error: 'not found' });
  }
}
