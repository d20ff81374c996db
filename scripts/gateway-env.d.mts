// Types of gateway-env.mjs (plain JavaScript so that `npm start` needs no TypeScript loader).
export declare const GATEWAY_ENV: Readonly<Record<string, string>>;
export declare function gatewayEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
