// @scapkit/replay: state engine, filters, fields, formatters and the pipeline.
export {};
