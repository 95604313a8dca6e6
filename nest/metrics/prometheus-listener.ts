// `metrics.prometheus: { port }`: the scrape route on a listener of its own, apart from the
// app's port. The app's guards, middleware and auth never see the route registered on the
// app's Fastify instance (it is a plain Fastify route), so a separate port, reachable only by
// the scraper (a Kubernetes pod port not published by the Service, a firewall rule), is the
// usual way to keep route templates and traffic counts off the public port.

import http from 'node:http';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusText, type RedMetrics } from '../../engine/index.js';

export class PrometheusListener {
  private readonly server: http.Server;

  constructor(red: RedMetrics, route: string) {
    this.server = http.createServer((req, res) => {
      // Only GET/HEAD of the one route; the query string (Prometheus sends none) is ignored.
      const path = req.url === undefined ? '' : req.url.split('?', 1)[0];
      if (path !== route) {
        res.writeHead(404).end();
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else {
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : renderPrometheusText(red));
      }
    });
  }

  /** Listens; rejects (failing app startup) when the port is taken. */
  listen(port: number, host: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
