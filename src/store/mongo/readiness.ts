import type { mongo } from 'mongoose';
import type { Logger } from '../../logger';

const WRITABLE_SERVER_TYPES: ReadonlySet<mongo.ServerType> = new Set<mongo.ServerType>(['RSPrimary', 'Standalone', 'Mongos', 'LoadBalancer']);

/**
 * Follows the driver's view of the deployment (SDAM topology events): ready while some known
 * server accepts writes. Transitions after the first connection are logged, so an outage and
 * the recovery show up in the log once each, not once per failed request.
 */
export function watchReadiness(client: mongo.MongoClient, logger: Logger, uri: string) {
  let writable = false;
  let connected = false;
  let closed = false;
  client.on('topologyDescriptionChanged', (event) => {
    const now = [...event.newDescription.servers.values()].some((server) => WRITABLE_SERVER_TYPES.has(server.type));
    if (now === writable) return;
    writable = now;
    if (!connected || closed) return;
    if (now) logger.info('MongoDB is reachable again: serving requests', { uri });
    else logger.warn('lost the MongoDB primary: requests are answered 503 until the driver reconnects', { uri });
  });
  return {
    /** A ping just reached a writable server, whatever events are still on their way. */
    connected() {
      connected = true;
      writable = true;
    },
    closing() {
      closed = true;
    },
    ready: () => connected && writable && !closed,
  };
}
