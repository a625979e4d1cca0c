/**
 * The stdio transport, answering what is not a JSON-RPC 2.0 message as the
 * JSON-RPC 2.0 spec says instead of dropping it with a line on stderr (the
 * SDK's transport): a line that is not JSON gets -32700 (Parse error), a
 * batch (which MCP does not use) or an object that is not a request,
 * notification or response gets -32600 (Invalid Request), with the
 * message's id when it has a valid one, else null. Valid lines go on to the
 * SDK's transport unchanged.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createInterface, type Interface } from 'node:readline';
import { INVALID_REQUEST, PARSE_ERROR, parseJSONRPCMessage, type JSONRPCErrorResponse } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

type RequestId = string | number;

export class CheckedStdioTransport extends StdioServerTransport {
  private readonly checkedLines: PassThrough;
  private reader: Interface | null = null;

  constructor(
    private readonly input: Readable = process.stdin,
    output: Writable = process.stdout,
  ) {
    const checkedLines = new PassThrough();
    super(checkedLines, output);
    this.checkedLines = checkedLines;
  }

  override async start(): Promise<void> {
    await super.start();
    this.reader = createInterface({ input: this.input, crlfDelay: Infinity });
    this.reader.on('line', (line) => this.check(line));
    this.reader.on('close', () => this.checkedLines.end());
  }

  override async close(): Promise<void> {
    this.reader?.close();
    await super.close();
  }

  private check(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.refuse(null, PARSE_ERROR, 'Parse error: the line is not JSON. Send one JSON-RPC 2.0 message per line.');
      return;
    }
    const problem = invalidMessageProblem(message);
    if (problem === null) {
      this.checkedLines.write(`${line}\n`);
      return;
    }
    this.refuse(validIdOf(message), INVALID_REQUEST, `Invalid Request: ${problem}`);
  }

  private refuse(id: RequestId | null, code: number, message: string): void {
    // JSON-RPC 2.0 answers with id null when the id cannot be read; the SDK's type has no room for that.
    const answer = { jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCErrorResponse;
    this.send(answer).catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))));
  }
}

/** What is wrong with a parsed line as a JSON-RPC 2.0 message; null when nothing is. */
function invalidMessageProblem(message: unknown): string | null {
  if (Array.isArray(message)) return 'batches are not supported; send each message on its own line.';
  if (message === null || typeof message !== 'object') return 'a message is a JSON object.';
  if ((message as { jsonrpc?: unknown }).jsonrpc !== '2.0') return 'a message must have "jsonrpc": "2.0".';
  const id = (message as { id?: unknown }).id;
  if (id !== undefined && validId(id) === null) return 'the id must be a string or an integer.';
  try {
    parseJSONRPCMessage(message);
    return null;
  } catch {
    return 'not a request (method, id), a notification (method) or a response (id with result or error).';
  }
}

function validIdOf(message: unknown): RequestId | null {
  return message !== null && typeof message === 'object' && !Array.isArray(message)
    ? validId((message as { id?: unknown }).id)
    : null;
}

function validId(id: unknown): RequestId | null {
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? id : null;
}
