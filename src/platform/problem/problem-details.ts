import type { Violation } from '../errors/index.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details as Crossdock answers them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  correlationId: string;
  violations?: Violation[];
  [extension: string]: unknown;
}

/** Problem types are relative URI references (RFC 9457 §3.1.1) documented in the README. */
export const problemType = (code: string): string =>
  `/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusTitle = (status: number): string => TITLES[status] ?? 'Error';
