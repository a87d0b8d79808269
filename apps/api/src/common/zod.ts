import { applyDecorators, ArgumentMetadata, BadRequestException, Body, Param, PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiQuery, ApiResponse, SchemaObject } from '@nestjs/swagger';
import { FieldError, FieldErrorCode } from '@vetlab/shared';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/** Validates one request part against a libs/shared schema; a 400 names every bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform {
  constructor(
    readonly schema: S,
    readonly part: 'body' | 'query' | 'param',
  ) {}

  transform(value: unknown, _meta: ArgumentMetadata): z.output<S> {
    const result = this.schema.safeParse(value ?? (this.part === 'body' ? undefined : {}));
    if (result.success) return result.data;
    const details: FieldError[] = result.error.issues.map((i) => ({
      field: [this.part, ...i.path.map(String)].join('.'),
      message: unrecognizedMessage(i) ?? i.message,
      ...fieldErrorCode(i),
    }));
    throw new BadRequestException({ message: details.map((d) => `${d.field}: ${d.message}`).join('; '), details });
  }
}

/** A zod issue's stable code (a missing value is `required`) and, for a size rule, its bound. */
export function fieldErrorCode(i: z.core.$ZodIssue): Pick<FieldError, 'code' | 'limit'> {
  switch (i.code) {
    case 'invalid_type':
      return { code: i.input === undefined ? FieldErrorCode.Required : FieldErrorCode.InvalidType };
    case 'too_small':
      return { code: FieldErrorCode.TooSmall, limit: Number(i.minimum) };
    case 'too_big':
      return { code: FieldErrorCode.TooBig, limit: Number(i.maximum) };
    case 'invalid_format':
      return { code: FieldErrorCode.InvalidFormat };
    case 'not_multiple_of':
      return { code: FieldErrorCode.NotMultipleOf };
    case 'unrecognized_keys':
      return { code: FieldErrorCode.UnrecognizedKeys };
    case 'custom':
      // A refinement may name its own field code: `.refine(f, { params: { code: FieldErrorCode.TooCommon } })`.
      return { code: isFieldErrorCode(i.params?.code) ? i.params.code : FieldErrorCode.Custom };
    default:
      // invalid_value (not one of the allowed values), invalid_union, invalid_key, invalid_element.
      return { code: FieldErrorCode.InvalidValue };
  }
}

const FIELD_ERROR_CODES = new Set<string>(Object.values(FieldErrorCode));
const isFieldErrorCode = (c: unknown): c is FieldErrorCode => typeof c === 'string' && FIELD_ERROR_CODES.has(c);

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

/**
 * OpenAPI from the schemas that validate: zod 4's own JSON Schema converter (the one nestjs-zod
 * wraps; its DTO classes and pipe would change our 400 messages). Draft 2020-12 is the schema
 * dialect of OpenAPI 3.1; a schema with `.meta({ id })` becomes a component, referenced by name.
 */
export const openApiComponents: Record<string, SchemaObject> = {};

export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const { $schema: _, $defs = {}, ...root } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  const toComponents = (s: object) => JSON.parse(JSON.stringify(s).replaceAll('"#/$defs/', '"#/components/schemas/')) as SchemaObject;
  for (const [id, def] of Object.entries($defs)) {
    const component = toComponents(def);
    const known = openApiComponents[id];
    if (known && JSON.stringify(known) !== JSON.stringify(component)) throw new Error(`two different schemas are named ${id}`);
    openApiComponents[id] = component;
  }
  return toComponents(root);
}

/** The parameters of a `query` or `path` object schema, one per property. */
function parameters(schema: z.ZodType) {
  const { properties, required = [] } = openApiSchema(schema, 'input') as SchemaObject & { required?: string[] };
  if (!properties) throw new Error('query and path parameters need an object schema');
  return Object.entries(properties).map(([name, s]) => ({ name, schema: s, required: required.includes(name), description: (s as SchemaObject).description }));
}

/** A parameter decorator that also documents its method (OpenAPI metadata lives on the method). */
const documented =
  (param: ParameterDecorator, ...docs: MethodDecorator[]): ParameterDecorator =>
  (target, key, index) => {
    withPlainDesignType(param)(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    for (const doc of docs) doc(target, key, descriptor);
  };

/** Body, query and path parameters validated by a shared schema and documented from the same schema. */
export const ZodBody = (schema: z.ZodType) =>
  documented(Body(new ZodPipe(schema, 'body')), ApiBody({ schema: openApiSchema(schema, 'input'), required: !schema.safeParse(undefined).success }));
export const ZodQuery = (schema: z.ZodType) => documented(Query(new ZodPipe(schema, 'query')), ...parameters(schema).map((p) => ApiQuery(p)));
export const ZodParams = (schema: z.ZodType) =>
  documented(Param(new ZodPipe(schema, 'param')), ...parameters(schema).map((p) => ApiParam({ ...p, required: true })));

/** An answer documented from a shared schema: JSON (`schema`), or a file of that content type. */
export const ApiZodResponse = (status: number, schema: z.ZodType | `${string}/${string}`, description = STATUS_CODES[status] ?? '') =>
  ApiResponse({
    status,
    description,
    content:
      typeof schema === 'string'
        ? { [schema]: { schema: { type: 'string', format: 'binary' } } }
        : { 'application/json': { schema: openApiSchema(schema, 'output') } },
  });

/** A PDF route: the file with its ETag, a 304 for If-None-Match, or a 202 with the job rendering it. */
export const ApiPdf = (accepted: z.ZodType) =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of the copy held' }),
    ApiZodResponse(200, 'application/pdf'),
    ApiZodResponse(202, accepted, 'not rendered yet: the job rendering it; ask again once it completes'),
    ApiResponse({ status: 304, description: 'Not Modified (If-None-Match)' }),
  );
