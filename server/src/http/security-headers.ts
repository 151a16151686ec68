// Browser security headers on every response (helmet): the dashboard's Content
// Security Policy, no framing anywhere (clickjacking), no referrers, no MIME
// sniffing, and HSTS when the public URL is https. The /docs pages replace the
// CSP with their own, stricter one (discovery.routes.ts).
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config';

/**
 * The dashboard's policy. The built app (web/dist) is one module script and one
 * stylesheet, both same-origin; React sets style props through the DOM, which a
 * CSP allows. So no 'unsafe-inline' anywhere.
 */
export function dashboardCspDirectives(config: Pick<Config, 'publicBaseUrl'>): Record<string, string[]> {
  const publicUrl = new URL(config.publicBaseUrl);
  // 'self' covers same-origin ws:/wss: in current browsers; the explicit origin is for
  // older ones, ready for GraphQL subscriptions over a WebSocket.
  const socketOrigin = `${publicUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${publicUrl.host}`;
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", socketOrigin],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

export function securityHeaders(config: Pick<Config, 'publicBaseUrl'>): RequestHandler {
  const https = config.publicBaseUrl.startsWith('https:');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      // Over plain http (sandbox on 127.0.0.1) upgrading requests would break every asset.
      directives: https ? { ...dashboardCspDirectives(config), 'upgrade-insecure-requests': [] } : dashboardCspDirectives(config),
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // A browser only honours HSTS over https; sent over http it would only mislead.
    // No includeSubDomains: the shop's other hosts are not ours to pin.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xContentTypeOptions: true,
  });
}
