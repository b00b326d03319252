/** Where every callback-in node listens, under httpNodeRoot. */
export const ROUTE_BASE = '/tencent-ci/callback';
