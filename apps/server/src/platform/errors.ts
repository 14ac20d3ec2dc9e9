/**
 * The one error type of the platform. Services throw it; the HTTP layer turns it into
 * `{ error: { code, message, details } }` with the status given here. Messages are Chinese
 * because they are shown to users as they are.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown, code = 'BAD_REQUEST') =>
  new AppError(400, code, message, details);
export const unauthorized = (message = '请先登录', code = 'UNAUTHORIZED') => new AppError(401, code, message);
export const forbidden = (message = '没有权限执行此操作', code = 'FORBIDDEN') => new AppError(403, code, message);
export const notFound = (message = '记录不存在或无权查看', code = 'NOT_FOUND') => new AppError(404, code, message);
export const conflict = (message: string, code = 'CONFLICT', details?: unknown) =>
  new AppError(409, code, message, details);
export const unprocessable = (message: string, details?: unknown, code = 'UNPROCESSABLE') =>
  new AppError(422, code, message, details);
