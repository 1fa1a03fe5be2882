import type { CreateNodeOptions, DocumentOptions } from 'yaml';

/**
 * How the YAML is written. Version 1.1 quotes the strings that a YAML 1.1 reader takes for something else (`no`,
 * `on`, `0755`): docker-compose (PyYAML) and kubectl (go-yaml) read 1.1, and `restart: no` would be a boolean there.
 * No anchors: an object used twice (the labels of a Deployment and its pods) is written out twice, as people do.
 */
export const YAML_OPTIONS: DocumentOptions & CreateNodeOptions = { version: '1.1', aliasDuplicateObjects: false };
