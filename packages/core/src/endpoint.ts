/** The endpoint override of `CiClient` and `objectUrl` (the emulator, a private domain). */
import { CiError } from './errors';

/** The origin of an http:// or https:// endpoint; throws InvalidArgument for anything else. */
export function endpointOrigin(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new CiError({ code: 'InvalidArgument', message: `Endpoint ${JSON.stringify(endpoint)} is not a URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CiError({ code: 'InvalidArgument', message: `Endpoint must be an http:// or https:// URL, got ${url.protocol}` });
  }
  return url.origin;
}
