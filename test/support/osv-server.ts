// A local stand-in for the OSV API (https://google.github.io/osv.dev/api/), speaking
// its documented shapes: POST /v1/querybatch -> {results: [{vulns: [{id, modified}],
// next_page_token?} | {}]}, GET /v1/vulns/{id} -> the record, or 404 {code, message}.
// Backed by real records; it can paginate, inject 429/5xx/dropped connections, and
// counts every request so tests can assert what the client did.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OsvRecord } from '../../src/scan/osv/record.ts';

export interface WireQuery {
  package?: { name?: string; ecosystem?: string };
  version?: string;
  page_token?: string;
}

/** Which IDs the stand-in lists for a query; by default every record naming the package. */
export type Answer = (query: WireQuery, records: readonly OsvRecord[]) => string[];

export interface Fault {
  /** 'querybatch' or 'vulns'. */
  endpoint: 'querybatch' | 'vulns';
  /** HTTP status to answer, 'drop' to destroy the connection, or 'hold' to never answer. */
  status: number | 'drop' | 'hold';
  headers?: Record<string, string>;
  /** How many matching requests get the fault (then it is used up). */
  times: number;
}

export interface OsvServerOptions {
  answer?: Answer;
  /** Largest number of IDs in one query's result; more come as next_page_token pages. */
  pageSize?: number;
}

export const namesPackage: Answer = (query, records) =>
  records
    .filter((r) => (r.affected ?? []).some((a) => a.package?.name === query.package?.name && a.package?.ecosystem === query.package?.ecosystem))
    .map((r) => r.id);

export class OsvServer {
  readonly records = new Map<string, OsvRecord>();
  /** Every request: endpoint and, for querybatch, the number of queries. */
  readonly requests: { endpoint: string; queries?: number; status: Fault['status'] }[] = [];
  readonly vulnFetches = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly answer: Answer;
  private readonly pageSize: number;
  private server: Server | undefined;

  constructor(records: readonly OsvRecord[], options: OsvServerOptions = {}) {
    for (const r of records) this.records.set(r.id, r);
    this.answer = options.answer ?? namesPackage;
    this.pageSize = options.pageSize ?? 1000;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('OSV stand-in is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  count(endpoint: string): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  private takeFault(endpoint: Fault['endpoint']): Fault | undefined {
    const fault = this.faults.find((f) => f.endpoint === endpoint && f.times > 0);
    if (fault) fault.times--;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const endpoint = req.method === 'POST' && path === '/v1/querybatch' ? 'querybatch' : path.startsWith('/v1/vulns/') ? 'vulns' : 'other';
    const body = Buffer.concat(chunks).toString('utf8');
    const queries = endpoint === 'querybatch' ? ((JSON.parse(body) as { queries?: WireQuery[] }).queries ?? []) : undefined;
    const fault = endpoint === 'other' ? undefined : this.takeFault(endpoint);
    this.requests.push({ endpoint, ...(queries ? { queries: queries.length } : {}), status: fault?.status ?? 200 });
    if (fault?.status === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.status === 'hold') return;
    if (fault) return send(res, fault.status as number, { code: 14, message: 'injected fault' }, fault.headers);
    if (endpoint === 'querybatch') return this.querybatch(res, queries ?? []);
    if (endpoint === 'vulns') return this.vuln(res, decodeURIComponent(path.slice('/v1/vulns/'.length)));
    send(res, 404, { code: 5, message: 'Not Found' });
  }

  private querybatch(res: ServerResponse, queries: WireQuery[]): void {
    // The real API refuses more than 1000 queries in one batch.
    if (queries.length > 1000) {
      send(res, 400, { code: 3, message: 'Too many queries.' });
      return;
    }
    const results = queries.map((query) => {
      const all = this.answer(query, [...this.records.values()]);
      const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64url').toString()) : 0;
      const page = all.slice(offset, offset + this.pageSize);
      if (page.length === 0) return {};
      const vulns = page.map((id) => ({ id, modified: this.records.get(id)?.modified ?? '2024-01-01T00:00:00Z' }));
      const more = offset + this.pageSize < all.length;
      return more ? { vulns, next_page_token: Buffer.from(String(offset + this.pageSize)).toString('base64url') } : { vulns };
    });
    send(res, 200, { results });
  }

  private vuln(res: ServerResponse, id: string): void {
    this.vulnFetches.set(id, (this.vulnFetches.get(id) ?? 0) + 1);
    const record = this.records.get(id);
    if (!record) {
      send(res, 404, { code: 5, message: 'Bug not found.' });
      return;
    }
    send(res, 200, record);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
