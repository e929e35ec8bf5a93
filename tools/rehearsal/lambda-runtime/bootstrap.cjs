'use strict';
/* global require, Buffer, URL */
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node as Lambda runs it */
/*
 * The rehearsal's Lambda runtime for Node.js: one process is one warm execution environment of
 * one function. It loads the handler the way Lambda does (LAMBDA_TASK_ROOT and _HANDLER
 * 'file.export', .js/.mjs/.cjs), takes invocations from the parent over IPC, answers with the
 * result or Lambda's error payload { errorType, errorMessage, trace }, and filters console output
 * by AWS_LAMBDA_LOG_LEVEL as Lambda's advanced logging does.
 *
 * It is also the sandbox's network: AWS endpoints on 127.0.0.1 are reached as they are; an HTTPS
 * PUT to CloudFormation's response bucket (the custom resource's ResponseURL) is relayed to the
 * parent; anything else fails as if the network were unreachable (nothing leaves the machine).
 */
const http = require('node:http');
const https = require('node:https');
const { Readable, Writable } = require('node:stream');
const { syncBuiltinESMExports } = require('node:module');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const pending = new Map();
let nextCall = 1;

/** Asks the parent (the rehearsal's AWS) to do something: invoke a function, start an execution, take an HTTP request. */
function callParent(service, input) {
  return new Promise((resolve, reject) => {
    const id = nextCall++;
    pending.set(id, { resolve, reject });
    process.send({ type: 'call', id, service, input });
  });
}
globalThis.__rehearsalCall = callParent;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const RELAYED_HOST = /^cloudformation-custom-resource-response-[a-z0-9]+\.s3[.-]/;

function requestTarget(args) {
  const [first, second] = args;
  const options =
    typeof first === 'string' || first instanceof URL
      ? { ...(typeof second === 'object' && second !== null ? second : {}), url: new URL(String(first)) }
      : first || {};
  const hostname = options.url ? options.url.hostname : options.hostname || String(options.host || 'localhost').replace(/:\d+$/, '');
  const requestPath = options.url ? options.url.pathname + options.url.search : options.path || '/';
  const callback = args.find((arg) => typeof arg === 'function');
  return { options, hostname, requestPath, callback };
}

/** A ClientRequest stand-in that keeps what is written to it. */
function stubRequest(chunks = []) {
  const request = new Writable({
    write(chunk, encoding, done) {
      chunks.push(Buffer.from(chunk, encoding));
      done();
    },
  });
  request.setHeader = () => undefined;
  request.setTimeout = () => request;
  request.abort = () => request.destroy();
  return request;
}

function relayed(target, protocol) {
  const chunks = [];
  const request = stubRequest(chunks);
  request.on('finish', () => {
    const input = {
      protocol,
      method: target.options.method || 'GET',
      hostname: target.hostname,
      path: target.requestPath,
      headers: target.options.headers || {},
      body: Buffer.concat(chunks).toString('utf8'),
    };
    callParent('http', input).then(
      (answer) => {
        const response = new Readable({ read() {} });
        response.statusCode = answer.statusCode;
        response.headers = {};
        response.push(null);
        if (target.callback) target.callback(response);
        request.emit('response', response);
      },
      (error) => request.emit('error', error),
    );
  });
  return request;
}

function refused(target) {
  const request = stubRequest();
  process.nextTick(() => {
    const error = new Error(`connect ECONNREFUSED ${target.hostname}:443 (the rehearsal allows no network beyond 127.0.0.1)`);
    error.code = 'ECONNREFUSED';
    request.emit('error', error);
  });
  return request;
}

function guard(module, protocol) {
  const original = module.request;
  module.request = function request(...args) {
    const target = requestTarget(args);
    if (LOCAL_HOSTS.has(target.hostname)) return original.apply(this, args);
    if (protocol === 'https' && RELAYED_HOST.test(target.hostname)) return relayed(target, protocol);
    return refused(target);
  };
  module.get = function get(...args) {
    const request = module.request(...args);
    request.end();
    return request;
  };
}
guard(http, 'http');
guard(https, 'https');
// ESM code that imported { request } from 'node:https' sees the guarded functions too.
syncBuiltinESMExports();

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const threshold = LEVELS.indexOf(String(process.env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase());
if (threshold > 0) {
  const levelOf = { trace: 'TRACE', debug: 'DEBUG', log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR' };
  for (const [method, level] of Object.entries(levelOf)) {
    if (LEVELS.indexOf(level) < threshold) console[method] = () => undefined;
  }
}

let handler;
async function loadHandler() {
  if (handler) return handler;
  const spec = process.env._HANDLER || '';
  const dot = spec.lastIndexOf('.');
  const base = path.join(process.env.LAMBDA_TASK_ROOT || '.', spec.slice(0, dot));
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
  if (!file) throw Object.assign(new Error(`Cannot find module '${spec.slice(0, dot)}'`), { name: 'Runtime.ImportModuleError' });
  const loaded = await import(pathToFileURL(file).href);
  const name = spec.slice(dot + 1);
  const found = loaded[name] ?? (loaded.default && loaded.default[name]);
  if (typeof found !== 'function')
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  handler = found;
  return handler;
}

function errorPayload(error) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') };
}

process.on('message', (message) => {
  if (message.type === 'callResult') {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (!waiting) return;
    if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    else waiting.resolve(message.output);
    return;
  }
  if (message.type !== 'invoke') return;
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  loadHandler()
    .then((fn) => fn(message.event, context))
    .then(
      (result) => process.send({ type: 'result', id: message.id, payload: result === undefined ? null : result }),
      (error) => process.send({ type: 'error', id: message.id, payload: errorPayload(error) }),
    );
});
process.send({ type: 'ready' });
