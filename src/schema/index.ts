// The --schema layer: load and validate a schema file, route entries by its rules, check records
// against its JSON Schemas, and write what it declares (groups, attrs, quarantine) into the output.
export { SchemaError } from "./errors";
export { loadSchema, parseSchema } from "./load-schema";
export { Schema, parseTemplate, type Route, type RouteContext, type RuleStack, type StackingRule } from "./rules";
export { compileRecords, splitRecords, type QuarantinedRecord, type RecordValidator, type SplitRecords } from "./records";
export { DTYPES, SCHEMA_META, TEMPLATE_VARIABLES, type AttrValue, type SchemaDocument, type SchemaDtype, type SchemaRule } from "./schema-meta";
export { dropQuarantined, H5DAT_GROUP, QUARANTINE_PATH, writeQuarantine, writeSchemaAttrs, type QuarantineRow } from "./write-schema";
