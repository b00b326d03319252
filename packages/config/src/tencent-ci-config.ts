/**
 * Node-RED module registering the config node `tencent-ci-config` (the only package that
 * does) and its "Test connection" admin route.
 */
import { CiClient, CiError } from '@node-red-tencent-ci/core';
import { CONFIG_TYPE, ConfigRuntime, resolveCredentials, type ConfigProps, type Credentials } from './config-node';
import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef } from './node-red';
import { credentialsOf, registerNodeType } from './register';

/** Node-RED's placeholder for a password field the user did not change. */
const UNCHANGED = '__PWRD__';

interface ConfigNode extends Node<Credentials> {
  ci: ConfigRuntime;
}

function testCredentials(RED: NodeAPI, body: Record<string, unknown>): Credentials {
  const stored = typeof body.id === 'string' ? (credentialsOf<Credentials>(RED, body.id) ?? {}) : {};
  const pick = (name: keyof Credentials) => {
    const v = body[name];
    return typeof v === 'string' && v !== UNCHANGED ? v : stored[name];
  };
  return { secretId: pick('secretId'), secretKey: pick('secretKey'), sessionToken: pick('sessionToken') };
}

export = function register(RED: NodeAPI): void {
  function TencentCiConfigNode(this: ConfigNode, def: NodeDef & ConfigProps): void {
    RED.nodes.createNode(this, def);
    this.ci = new ConfigRuntime(def, this.credentials as Credentials | undefined);
    this.on('close', (_removed: boolean, done: () => void) => {
      this.ci.close().then(done, done);
    });
  }

  registerNodeType(RED, CONFIG_TYPE, TencentCiConfigNode, {
    credentials: {
      secretId: { type: 'text' },
      secretKey: { type: 'password' },
      sessionToken: { type: 'password' },
    },
  });

  // "Test connection": one signed request with the settings in the dialog. The answer holds
  // a code and a message, never a secret.
  RED.httpAdmin.post(`/${CONFIG_TYPE}/test`, RED.auth.needsPermission(`${CONFIG_TYPE}.write`), (req: Request, res: Response) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    let client: CiClient | undefined;
    const reply = (ok: boolean, code: string, message: string, requestId?: string) => res.json({ ok, code, message, requestId });
    try {
      const creds = resolveCredentials(testCredentials(RED, body));
      if (!creds.secretId || !creds.secretKey) {
        reply(false, 'MissingCredentials', RED._('tencent-ci-config.test.missingCredentials'));
        return;
      }
      client = new CiClient({
        ...creds,
        bucket: String(body.bucket ?? '').trim(),
        region: String(body.region ?? '').trim(),
        endpoint: typeof body.endpoint === 'string' && body.endpoint.trim() ? body.endpoint.trim() : undefined,
        timeoutMs: 10_000,
        retry: { retries: 1 },
      });
    } catch (err) {
      reply(false, (err as CiError).code ?? 'InvalidArgument', (err as Error).message);
      return;
    }
    const c = client;
    c.list({ tag: 'MediaInfo', size: 1 })
      .then((result) => reply(true, 'Success', RED._('tencent-ci-config.test.success'), result.requestId))
      .catch((err: CiError) => reply(false, err.code ?? 'Error', err.message, err.requestId))
      .finally(() => void c.close());
  });
};
