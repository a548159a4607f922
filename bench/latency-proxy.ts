/**
 * A TCP proxy that delays every chunk, in each direction, by a fixed time: put in front of
 * the benchmark's git server, it makes loopback behave like a provider some distance away
 * (25 ms each way is a 50 ms round trip, a TLS handshake costs its round trips too).
 * Order is kept (every chunk waits the same time) and throughput is not capped: a sender
 * is paused only while more than a few megabytes wait in the proxy.
 */
import * as net from 'node:net';

/** A running proxy. */
export interface LatencyProxy {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  close(): Promise<void>;
}

const PAUSE_ABOVE = 8 << 20;
const RESUME_BELOW = 2 << 20;

/** Forwards `from` to `to`, each chunk `delayMs` later than it arrived; ends and errors likewise. */
function delayed(from: net.Socket, to: net.Socket, delayMs: number): void {
  let waiting = 0;
  let full = false;
  to.on('drain', () => {
    full = false;
    if (waiting < RESUME_BELOW) from.resume();
  });
  from.on('data', (chunk: Buffer) => {
    waiting += chunk.length;
    if (waiting > PAUSE_ABOVE) from.pause();
    setTimeout(() => {
      waiting -= chunk.length;
      if (to.destroyed) return;
      if (!to.write(chunk)) {
        full = true;
        from.pause();
      } else if (!full && waiting < RESUME_BELOW && from.isPaused()) {
        from.resume();
      }
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => setTimeout(() => to.destroy(), delayMs));
  from.on('close', () => setTimeout(() => to.destroy(), delayMs + 1));
}

/** Starts a proxy to 127.0.0.1:`targetPort` that delays each direction by `delayMs`. */
export async function startLatencyProxy(targetPort: number, delayMs: number): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect(targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayed(client, upstream, delayMs);
    delayed(upstream, client, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
