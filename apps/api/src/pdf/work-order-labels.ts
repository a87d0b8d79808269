/** The download name: readable, ASCII only (protocol codes are), unique per content version. */
export const workOrderPdfFilename = (protocolCode: string, version: number) =>
  `orden-de-trabajo-${protocolCode.replace(/[^A-Za-z0-9-]/g, '_')}-v${version}.pdf`;
