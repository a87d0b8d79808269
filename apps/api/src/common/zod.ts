import { applyDecorators, ArgumentMetadata, BadRequestException, Body, Param, PipeTransform, Query } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** Validates one request part against a libs/shared schema; a 400 names every bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform {
  constructor(
    private readonly schema: S,
    private readonly part: 'body' | 'query' | 'param',
  ) {}

  transform(value: unknown, _meta: ArgumentMetadata): z.output<S> {
    const result = this.schema.safeParse(value ?? (this.part === 'body' ? undefined : {}));
    if (result.success) return result.data;
    const details = result.error.issues.map((i) => ({
      field: [this.part, ...i.path.map(String)].join('.'),
      message: unrecognizedMessage(i) ?? i.message,
    }));
    throw new BadRequestException({ message: details.map((d) => `${d.field}: ${d.message}`).join('; '), details });
  }
}

function unrecognizedMessage(i: z.core.$ZodIssue): string | undefined {
  if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
  if (i.code === 'invalid_type' && i.input === undefined) return 'required';
  return undefined;
}

/**
 * `dto: IdParams` names both a zod schema and a type; SWC then records the schema object itself as
 * the parameter's design type and Swagger crashes treating it as a class. The schema is what
 * validates, so the design type is reset to Object (param decorators run after the metadata is set).
 */
const withPlainDesignType =
  (decorator: ParameterDecorator): ParameterDecorator =>
  (target, key, index) => {
    decorator(target, key, index);
    if (key === undefined) return;
    const types = Reflect.getMetadata('design:paramtypes', target, key) as unknown[] | undefined;
    if (types && index < types.length) types[index] = Object;
  };

/** Body validated by a shared schema and described in OpenAPI from the same schema. */
export const ZodBody = (schema: z.ZodType) => withPlainDesignType(Body(new ZodPipe(schema, 'body')));
export const ZodQuery = (schema: z.ZodType) => withPlainDesignType(Query(new ZodPipe(schema, 'query')));
export const ZodParams = (schema: z.ZodType) => withPlainDesignType(Param(new ZodPipe(schema, 'param')));

/** OpenAPI description of a body from its zod schema (zod 4 emits JSON Schema itself). */
export const ApiZodBody = (schema: z.ZodType) =>
  applyDecorators(ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object }));
