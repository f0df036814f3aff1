import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/** A small identity provider on a loopback port: discovery document and key set, as a real one serves them. */
export class TestIdentityProvider {
  private server!: Server;
  keys: { kid: string; privateKey: KeyObject; publicKey: KeyObject }[] = [];
  jwksRequests = 0;
  issuer = '';

  async start() {
    this.server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/jwks` }));
      if (req.url === '/jwks') {
        this.jwksRequests++;
        return res.end(JSON.stringify({ keys: this.keys.map(({ kid, publicKey }) => ({ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' })) }));
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  addKey(kid: string, type: 'rsa' | 'ec' = 'rsa') {
    const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.keys.push({ kid, ...pair });
    return kid;
  }

  sign(claims: object, options: { kid?: string; audience?: string; expiresIn?: number; issuer?: string } = {}) {
    const key = this.keys.find((k) => k.kid === (options.kid ?? this.keys[0].kid))!;
    const algorithm = key.privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
    return jwt.sign(claims, key.privateKey, { algorithm, keyid: key.kid, issuer: options.issuer ?? this.issuer, audience: options.audience ?? 'cnrms-dashboard', expiresIn: options.expiresIn ?? 300, subject: 'idp-user-42' });
  }

  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}
