import { OpenAPIObject } from '@nestjs/swagger';
import { OpenApiDocumentHolder } from './openapi';

describe('OpenApiDocumentHolder', () => {
  const doc = { openapi: '3.1.0', info: { title: 'vetlab API', version: '1' }, paths: {} } as OpenAPIObject;

  it('builds the document on its first read, once, not when the application starts', () => {
    const holder = new OpenApiDocumentHolder();
    const build = jest.fn(() => doc);
    holder.buildWith(build);
    expect(build).not.toHaveBeenCalled();
    expect(holder.document).toBe(doc);
    expect(holder.document).toBe(doc);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('has no document before the application knows its routes', () => {
    expect(new OpenApiDocumentHolder().document).toBeNull();
  });
});
