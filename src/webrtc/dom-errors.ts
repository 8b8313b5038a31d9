/** DOMException helpers for the exceptions the W3C algorithms name. */

export type DomErrorName =
  | 'InvalidStateError'
  | 'InvalidAccessError'
  | 'InvalidModificationError'
  | 'OperationError'
  | 'NotSupportedError'
  | 'SyntaxError'
  | 'UnknownError';

export function domError(name: DomErrorName, message: string): DOMException {
  return new DOMException(message, name);
}

export function rejectDom(name: DomErrorName, message: string): Promise<never> {
  return Promise.reject(domError(name, message));
}
