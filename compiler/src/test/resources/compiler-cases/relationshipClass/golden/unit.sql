-- flink-job-runner deployment unit: 2 compiled shape components, 4 semantic rows on fjr.cases.rdf, fjr.cases.constraint_table, fjr.cases.constraint_combination_table

SET 'table.exec.sink.upsert-materialize' = 'NONE';

SET 'table.optimizer.reuse-optimize-block-with-digest-enabled' = 'true';

SET 'execution.buffer-timeout' = '0 ms';

SET 'pipeline.auto-watermark-interval' = '5 ms';

CREATE TABLE `entities` (`id` STRING, `type` STRING, `deleted` BOOLEAN, `ts` TIMESTAMP(3) METADATA FROM 'timestamp') WITH (
  'connector' = 'progress-kafka',
  'topic' = 'iff.ngsild.entities',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'scan.startup.mode' = 'earliest-offset',
  'properties.fetch.min.bytes' = '65536',
  'properties.fetch.max.wait.ms' = '10',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'json.ignore-parse-errors' = 'true');

CREATE TABLE `attributes` (`id` STRING, `parentId` STRING, `entityId` STRING, `name` STRING, `nodeType` STRING, `valueType` STRING, `type` STRING, `attributeValue` STRING, `datasetId` STRING, `unitCode` STRING, `lang` STRING, `deleted` BOOLEAN, `synced` BOOLEAN, `ts` TIMESTAMP(3) METADATA FROM 'timestamp') WITH (
  'connector' = 'progress-kafka',
  'topic' = 'iff.ngsild.attributes',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'scan.startup.mode' = 'earliest-offset',
  'properties.fetch.min.bytes' = '65536',
  'properties.fetch.max.wait.ms' = '10',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false',
  'json.ignore-parse-errors' = 'true');

CREATE TABLE `attributes_insert` (`id` STRING, `parentId` STRING, `entityId` STRING, `name` STRING, `nodeType` STRING, `valueType` STRING, `type` STRING, `attributeValue` STRING, `datasetId` STRING, `unitCode` STRING, `lang` STRING, `deleted` BOOLEAN, `synced` BOOLEAN, PRIMARY KEY (`id`, `datasetId`) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'iff.ngsild.attributes_insert',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'key.format' = 'json',
  'value.format' = 'json',
  'value.json.fail-on-missing-field' = 'false',
  'value.json.ignore-parse-errors' = 'true');

CREATE TABLE `alerts_bulk` (`resource` STRING, `event` STRING, `environment` STRING, `service` ARRAY<STRING>, `severity` STRING, `customer` STRING, `text` STRING, PRIMARY KEY (`resource`, `event`) NOT ENFORCED) WITH (
  'connector' = 'settled-upsert-kafka',
  'settle.window' = '50 ms',
  'topic' = 'iff.alerts.bulk',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'key.format' = 'json',
  'value.format' = 'json',
  'value.json.fail-on-missing-field' = 'false',
  'value.json.ignore-parse-errors' = 'true');

CREATE TABLE `rdf` (`subject` STRING, `predicate` STRING, `object` STRING, `index` INT, PRIMARY KEY (`subject`, `predicate`, `index`) NOT ENFORCED) WITH (
  'connector' = 'progress-upsert-kafka',
  'topic' = 'fjr.cases.rdf',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'key.format' = 'json',
  'value.format' = 'json',
  'value.json.fail-on-missing-field' = 'false',
  'value.json.ignore-parse-errors' = 'true');

CREATE TABLE `constraint_table` (`id` INT, `targetClass` STRING, `propertyPath` STRING, `subpropertyPath` STRING, `propertyClass` STRING, `propertyNodetype` STRING, `attributeType` STRING, `maxCount` STRING, `minCount` STRING, `severity` STRING, `minExclusive` STRING, `maxExclusive` STRING, `minInclusive` STRING, `maxInclusive` STRING, `minLength` STRING, `maxLength` STRING, `pattern` STRING, `ins` STRING, `datatypes` STRING, `hasValue` STRING, `targetNode` STRING, `shape` STRING, `message` STRING, `languagePattern` STRING, `uniqueLang` STRING, `pairKind` STRING, `pairPath` STRING, `closedPaths` STRING, `qualifiedMinCount` STRING, `qualifiedMaxCount` STRING, `targetSubjectsOf` STRING, `targetObjectsOf` STRING, `valueKind` STRING, `resultAt` STRING, `focusPath` STRING, `valuePath` STRING, `stepPath` STRING, `stepSeq` STRING, `stepList` STRING, PRIMARY KEY (`id`) NOT ENFORCED) WITH (
  'connector' = 'progress-upsert-kafka',
  'topic' = 'fjr.cases.constraint_table',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'key.format' = 'json',
  'value.format' = 'json',
  'value.json.fail-on-missing-field' = 'false',
  'value.json.ignore-parse-errors' = 'true');

CREATE TABLE `constraint_combination_table` (`member_constraint_id` INT, `operation` STRING, `target_constraint_id` INT, `level` INT, `member_depth` INT, PRIMARY KEY (`member_constraint_id`, `target_constraint_id`) NOT ENFORCED) WITH (
  'connector' = 'progress-upsert-kafka',
  'topic' = 'fjr.cases.constraint_combination_table',
  'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
  'key.format' = 'json',
  'value.format' = 'json',
  'value.json.fail-on-missing-field' = 'false',
  'value.json.ignore-parse-errors' = 'true');

CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS `latest_value` AS 'io.flinkjobrunner.udf.LatestValueFunction';

CREATE VIEW `entities_view` AS
SELECT `id`, `type`, `deleted`, `ts` FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `ts` DESC) AS `rownum` FROM `entities`)
WHERE `rownum` = 1;

CREATE VIEW `fjr_present_entities` AS
SELECT `id`, latest_value(`type`, `ts`) AS `type` FROM `entities` GROUP BY `id`
HAVING latest_value(CASE WHEN `deleted` THEN 'deleted' END, `ts`) IS NULL;

CREATE VIEW `attributes_view` AS
SELECT `id`, `parentId`, `entityId`, `name`, `nodeType`, `valueType`, `type`, `attributeValue`,
  `datasetId`, `unitCode`, `lang`, `deleted`, `synced`, `ts` FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id`, `datasetId` ORDER BY `ts` DESC) AS `rownum`
  FROM `attributes`)
WHERE `rownum` = 1;

CREATE VIEW `fjr_focus` AS
SELECT U.*, CASE WHEN U.`here` IS NULL THEN U.`parentPrefix` ELSE U.`parentPrefix` || U.`here` || ' ==> ' END
    AS `prefix`, COALESCE(U.`parentPrefix` || U.`here`, '$this') AS `display`
FROM (
SELECT E.`id` AS `this`, CAST(NULL AS STRING) AS `parentThis`, E.`id` AS `focus`, CAST(NULL AS STRING) AS `parent`, CAST('' AS STRING) AS `parentPrefix`, CAST(NULL AS STRING) AS `here`, E.`id` AS `n_key`, E.`id` AS `n_val`, '@id' AS `n_nodeType`, CAST(NULL AS STRING) AS `n_valueType`, CAST(NULL AS STRING) AS `n_lang`, CAST(NULL AS STRING) AS `n_attr_typ`, CAST(NULL AS STRING) AS `n_datasetId`, CAST(NULL AS STRING) AS `n_idx`, E.`id` AS `n_entity`, CAST(NULL AS STRING) AS `n_name`, E.`type` AS `typ`, C.`id` AS `constraint_id`, C.`targetClass`, C.`propertyPath`, C.`subpropertyPath`, C.`propertyClass`, C.`propertyNodetype`, C.`attributeType`, C.`maxCount`, C.`minCount`, C.`severity`, C.`minExclusive`, C.`maxExclusive`, C.`minInclusive`, C.`maxInclusive`, C.`minLength`, C.`maxLength`, C.`pattern`, C.`ins`, C.`datatypes`, C.`hasValue`, C.`targetNode`, C.`shape`, C.`message`, C.`languagePattern`, C.`uniqueLang`, C.`pairKind`, C.`pairPath`, C.`closedPaths`, C.`qualifiedMinCount`, C.`qualifiedMaxCount`, C.`targetSubjectsOf`, C.`targetObjectsOf`, C.`valueKind`, C.`resultAt`, C.`focusPath`, C.`valuePath`, C.`stepPath`, C.`stepSeq`, C.`stepList`
FROM `fjr_present_entities` E JOIN `constraint_table` C ON E.`type` = C.`targetClass`
WHERE C.`focusPath` IS NULL AND C.`stepPath` IS NULL
UNION ALL
SELECT E.`id` AS `this`, CAST(NULL AS STRING) AS `parentThis`, E.`id` AS `focus`, CAST(NULL AS STRING) AS `parent`, CAST('' AS STRING) AS `parentPrefix`, CAST(NULL AS STRING) AS `here`, E.`id` AS `n_key`, E.`id` AS `n_val`, '@id' AS `n_nodeType`, CAST(NULL AS STRING) AS `n_valueType`, CAST(NULL AS STRING) AS `n_lang`, CAST(NULL AS STRING) AS `n_attr_typ`, CAST(NULL AS STRING) AS `n_datasetId`, CAST(NULL AS STRING) AS `n_idx`, E.`id` AS `n_entity`, CAST(NULL AS STRING) AS `n_name`, E.`type` AS `typ`, C.`id` AS `constraint_id`, C.`targetClass`, C.`propertyPath`, C.`subpropertyPath`, C.`propertyClass`, C.`propertyNodetype`, C.`attributeType`, C.`maxCount`, C.`minCount`, C.`severity`, C.`minExclusive`, C.`maxExclusive`, C.`minInclusive`, C.`maxInclusive`, C.`minLength`, C.`maxLength`, C.`pattern`, C.`ins`, C.`datatypes`, C.`hasValue`, C.`targetNode`, C.`shape`, C.`message`, C.`languagePattern`, C.`uniqueLang`, C.`pairKind`, C.`pairPath`, C.`closedPaths`, C.`qualifiedMinCount`, C.`qualifiedMaxCount`, C.`targetSubjectsOf`, C.`targetObjectsOf`, C.`valueKind`, C.`resultAt`, C.`focusPath`, C.`valuePath`, C.`stepPath`, C.`stepSeq`, C.`stepList`
FROM `fjr_present_entities` E JOIN `constraint_table` C ON E.`id` = C.`targetNode`
WHERE C.`focusPath` IS NULL AND C.`stepPath` IS NULL) U;

CREATE VIEW `fjr_values` AS
SELECT F.*, B.`id` AS `attr_id`,
  CASE WHEN F.`valueKind` = 'attribute' THEN CAST(NULL AS STRING) ELSE B.`attributeValue` END AS `val`,
  CASE WHEN F.`valueKind` = 'attribute' THEN CAST(NULL AS STRING) ELSE B.`valueType` END AS `valueType`,
  CASE WHEN F.`valueKind` = 'attribute' THEN '@bnode' ELSE B.`nodeType` END AS `nodeType`, B.`type` AS `attr_typ`,
  B.`datasetId` AS `datasetId`, CASE WHEN F.`valueKind` = 'attribute' THEN CAST(NULL AS STRING) ELSE B.`lang` END AS `lang`,
  CASE WHEN F.`valueKind` = 'value' THEN CAST(NULL AS STRING) ELSE CASE WHEN B.`datasetId` = '@none' THEN '0' ELSE B.`datasetId` END END AS `idx`,
  CASE WHEN F.`valueKind` = 'value' THEN F.`display` ELSE F.`prefix` || F.`propertyPath` END AS `vpath`
FROM `fjr_focus` F JOIN (
    SELECT COALESCE(`parentId`, `entityId`) AS `owner`, `name` AS `slot`, * FROM `attributes_view` WHERE `deleted` IS NOT TRUE) B
  ON B.`owner` = F.`n_key` AND B.`slot` = CASE WHEN F.`valueKind` = 'value' THEN '' ELSE F.`propertyPath` END
WHERE F.`valuePath` IS NULL AND (F.`valueKind` IS NULL OR F.`valueKind` = 'attribute' OR F.`valueKind` = 'value');

CREATE VIEW `fjr_instance_of` AS
SELECT DISTINCT `instance`, `cls` FROM (
  SELECT T.`subject` AS `instance`, S.`object` AS `cls`
  FROM `rdf` T JOIN `rdf` S ON S.`subject` = T.`object`
  WHERE T.`predicate` = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>' AND S.`predicate` = '<http://www.w3.org/2000/01/rdf-schema#subClassOf>'
  UNION ALL
  SELECT `subject` AS `instance`, `object` AS `cls` FROM `rdf` WHERE `predicate` = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>');

CREATE VIEW `fjr_checks` AS
SELECT V.`this` AS `resource`, C.`event`, V.`constraint_id`, V.`severity`, V.`message`, CASE C.`checkIndex`
    WHEN 0 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not of node kind ' || COALESCE(`propertyNodetype`, '')
    WHEN 1 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not an entity of class ' || COALESCE(`propertyClass`, '')
    WHEN 2 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not an instance of ' || COALESCE(`propertyClass`, '')
    WHEN 3 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not an instance of ' || COALESCE(`propertyClass`, '')
    WHEN 4 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' does not match ' || COALESCE(`datatypes`, `propertyNodetype`, '')
    WHEN 5 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not > ' || COALESCE(`minExclusive`, '')
    WHEN 6 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not >= ' || COALESCE(`minInclusive`, '')
    WHEN 7 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not < ' || COALESCE(`maxExclusive`, '')
    WHEN 8 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not <= ' || COALESCE(`maxInclusive`, '')
    WHEN 9 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is shorter than ' || COALESCE(`minLength`, '')
    WHEN 10 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is longer than ' || COALESCE(`maxLength`, '')
    WHEN 11 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' does not match ' || COALESCE(`pattern`, '')
    WHEN 12 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not in ' || COALESCE(`ins`, '')
    WHEN 13 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' is not ' || COALESCE(`hasValue`, '')
    WHEN 14 THEN 'Value ' || COALESCE(`val`, 'NULL') || ' of ' || `propertyPath` || ' has language ' || COALESCE(`lang`, 'none') END AS `detail`,
  V.`val`, V.`datasetId`, V.`propertyPath` AS `path`, V.`focus`, V.`parent`
FROM (
  SELECT `this`, `focus`, `parent`, `constraint_id`, `severity`, `message`, `val`, `datasetId`,
    `propertyPath`, `propertyNodetype`, `propertyClass`, `datatypes`, `minExclusive`, `minInclusive`, `maxExclusive`, `maxInclusive`, `minLength`, `maxLength`, `pattern`, `ins`, `hasValue`, `lang`, ARRAY[
    ROW(CASE WHEN `propertyNodetype` IS NOT NULL AND (LOCATE(',' || CASE WHEN `attributeType` IS NULL AND `nodeType` = '@json' THEN '@value' WHEN `attributeType` IS NULL AND `nodeType` = '@list' THEN '@bnode' ELSE COALESCE(`nodeType`, '') END || ',', ',' || `propertyNodetype` || ',') = 0 OR (`attributeType` IS NOT NULL AND `attr_typ` IS DISTINCT FROM `attributeType`)) THEN 'NodeKindConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 0),
    ROW(CASE WHEN `attributeType` = 'https://uri.etsi.org/ngsi-ld/Relationship' AND `propertyClass` IS NOT NULL AND (`nodeType` IS DISTINCT FROM '@id' OR `target_id` IS NULL OR (`target_type` <> `propertyClass` AND `target_subclass` IS NULL)) THEN 'ClassConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 1),
    ROW(CASE WHEN `attributeType` <> 'https://uri.etsi.org/ngsi-ld/Relationship' AND `propertyClass` IS NOT NULL AND (`nodeType` IS DISTINCT FROM '@id' OR `value_instance` IS NULL) THEN 'DatatypeConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 2),
    ROW(CASE WHEN `attributeType` IS NULL AND `propertyClass` IS NOT NULL AND ((`nodeType` = '@id' AND ((`target_id` IS NOT NULL AND (`target_type` = `propertyClass` OR `target_subclass` IS NOT NULL)) OR `value_instance` IS NOT NULL)) OR (`nodeType` = '@bnode' AND (`attr_typ` = `propertyClass` OR `target_subclass` IS NOT NULL))) IS NOT TRUE THEN 'ClassConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 3),
    ROW(CASE WHEN (`propertyNodetype` = '@json' AND (`val` IS JSON OBJECT) IS NOT TRUE)
  OR (`propertyNodetype` = '@list' AND (`val` IS JSON ARRAY) IS NOT TRUE)
  OR (`datatypes` IS NOT NULL AND COALESCE(`propertyNodetype`, '') NOT IN ('@json', '@list') AND (LOCATE(',http://www.w3.org/2001/XMLSchema#string,', ',' || `datatypes` || ',') > 0 OR LOCATE(',http://www.w3.org/2001/XMLSchema#integer,', ',' || `datatypes` || ',') > 0 OR LOCATE(',http://www.w3.org/2001/XMLSchema#double,', ',' || `datatypes` || ',') > 0 OR LOCATE(',http://www.w3.org/2001/XMLSchema#boolean,', ',' || `datatypes` || ',') > 0)
    AND (`val` IS NULL OR NOT COALESCE(`nodeType`, '@value') = '@value' OR (((LOCATE(',http://www.w3.org/2001/XMLSchema#string,', ',' || `datatypes` || ',') > 0 AND COALESCE(`valueType`, 'http://www.w3.org/2001/XMLSchema#string') = 'http://www.w3.org/2001/XMLSchema#string') OR (LOCATE(',http://www.w3.org/2001/XMLSchema#integer,', ',' || `datatypes` || ',') > 0 AND COALESCE(`valueType`, 'http://www.w3.org/2001/XMLSchema#integer') = 'http://www.w3.org/2001/XMLSchema#integer' AND REGEXP(`val`, '^[+-]?[0-9]+$')) OR (LOCATE(',http://www.w3.org/2001/XMLSchema#double,', ',' || `datatypes` || ',') > 0 AND COALESCE(`valueType`, 'http://www.w3.org/2001/XMLSchema#double') = 'http://www.w3.org/2001/XMLSchema#double' AND REGEXP(`val`, '^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:INF|-INF|NaN)$')) OR (LOCATE(',http://www.w3.org/2001/XMLSchema#boolean,', ',' || `datatypes` || ',') > 0 AND COALESCE(`valueType`, 'http://www.w3.org/2001/XMLSchema#boolean') = 'http://www.w3.org/2001/XMLSchema#boolean' AND REGEXP(`val`, '^(?i:true|false)$')) OR (`valueType` IS NOT NULL AND LOCATE(',' || `valueType` || ',', ',' || `datatypes` || ',') > 0))) IS NOT TRUE)) THEN 'DatatypeConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 4),
    ROW(CASE WHEN `minExclusive` IS NOT NULL AND NOT (CASE WHEN TRY_CAST(`minExclusive` AS DOUBLE) IS NOT NULL THEN TRY_CAST(`val` AS DOUBLE) > TRY_CAST(`minExclusive` AS DOUBLE) ELSE `val` > `minExclusive` END) IS TRUE THEN 'MinExclusiveConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 5),
    ROW(CASE WHEN `minInclusive` IS NOT NULL AND NOT (CASE WHEN TRY_CAST(`minInclusive` AS DOUBLE) IS NOT NULL THEN TRY_CAST(`val` AS DOUBLE) >= TRY_CAST(`minInclusive` AS DOUBLE) ELSE `val` >= `minInclusive` END) IS TRUE THEN 'MinInclusiveConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 6),
    ROW(CASE WHEN `maxExclusive` IS NOT NULL AND NOT (CASE WHEN TRY_CAST(`maxExclusive` AS DOUBLE) IS NOT NULL THEN TRY_CAST(`val` AS DOUBLE) < TRY_CAST(`maxExclusive` AS DOUBLE) ELSE `val` < `maxExclusive` END) IS TRUE THEN 'MaxExclusiveConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 7),
    ROW(CASE WHEN `maxInclusive` IS NOT NULL AND NOT (CASE WHEN TRY_CAST(`maxInclusive` AS DOUBLE) IS NOT NULL THEN TRY_CAST(`val` AS DOUBLE) <= TRY_CAST(`maxInclusive` AS DOUBLE) ELSE `val` <= `maxInclusive` END) IS TRUE THEN 'MaxInclusiveConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 8),
    ROW(CASE WHEN `minLength` IS NOT NULL AND (`val` IS NULL OR CHAR_LENGTH(`val`) < TRY_CAST(`minLength` AS INT)) THEN 'MinLengthConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 9),
    ROW(CASE WHEN `maxLength` IS NOT NULL AND (`val` IS NULL OR CHAR_LENGTH(`val`) > TRY_CAST(`maxLength` AS INT)) THEN 'MaxLengthConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 10),
    ROW(CASE WHEN `pattern` IS NOT NULL AND (`val` IS NULL OR NOT REGEXP(`val`, `pattern`)) THEN 'PatternConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 11),
    ROW(CASE WHEN `ins` IS NOT NULL AND (`val` IS NULL OR LOCATE(',"' || REPLACE(REPLACE(`val`, '\', '\\'), '"', '\"') || '",', ',' || `ins` || ',') = 0) THEN 'InConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 12),
    ROW(CASE WHEN `hasValue` IS NOT NULL AND (`valueKind` IS NULL OR `valueKind` IN ('focus', 'value')) AND (`val` IS NULL OR (CASE WHEN `valueType` IN ('http://www.w3.org/2001/XMLSchema#double', 'http://www.w3.org/2001/XMLSchema#float', 'http://www.w3.org/2001/XMLSchema#decimal') THEN TRY_CAST(`val` AS DOUBLE) = TRY_CAST(`hasValue` AS DOUBLE) WHEN `valueType` = 'http://www.w3.org/2001/XMLSchema#integer' THEN TRY_CAST(`val` AS BIGINT) = TRY_CAST(`hasValue` AS BIGINT) WHEN `valueType` = 'http://www.w3.org/2001/XMLSchema#boolean' THEN LOWER(`val`) = LOWER(`hasValue`) ELSE `val` = `hasValue` END) IS NOT TRUE) THEN 'HasValueConstraintComponent(' || `vpath` || ')' END, 13),
    ROW(CASE WHEN `languagePattern` IS NOT NULL AND (`lang` IS NULL OR NOT REGEXP(`lang`, `languagePattern`)) THEN 'LanguageInConstraintComponent(' || `vpath` || COALESCE('[' || `idx` || ']', '') || ')' END, 14)] AS `results`
  FROM (
    SELECT V.*, O.`id` AS `target_id`, O.`type` AS `target_type`,
      R.`subject` AS `target_subclass`, I.`instance` AS `value_instance`
    FROM (SELECT * FROM `fjr_values` WHERE `propertyClass` IS NOT NULL) V
    LEFT JOIN `fjr_present_entities` O ON O.`id` = V.`val`
      AND (V.`attributeType` = 'https://uri.etsi.org/ngsi-ld/Relationship' OR (V.`attributeType` IS NULL AND V.`nodeType` = '@id'))
    LEFT JOIN `rdf` R ON R.`subject` = '<' || COALESCE(O.`type`,
        CASE WHEN V.`nodeType` = '@bnode' THEN V.`attr_typ` END) || '>' AND R.`predicate` = '<http://www.w3.org/2000/01/rdf-schema#subClassOf>'
      AND R.`object` = '<' || V.`propertyClass` || '>'
    LEFT JOIN `fjr_instance_of` I ON I.`instance` = '<' || V.`val` || '>'
      AND I.`cls` = '<' || V.`propertyClass` || '>'
    UNION ALL
    SELECT *, CAST(NULL AS STRING) AS `target_id`, CAST(NULL AS STRING) AS `target_type`,
      CAST(NULL AS STRING) AS `target_subclass`, CAST(NULL AS STRING) AS `value_instance`
    FROM `fjr_values` WHERE `propertyClass` IS NULL)) V
CROSS JOIN UNNEST(V.`results`) AS C(`event`, `checkIndex`)
WHERE C.`event` IS NOT NULL;

CREATE VIEW `fjr_triggers_0` AS
SELECT `resource`, `event`, `constraint_id`, `severity`, CASE WHEN `message` IS NULL THEN `detail` ELSE REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(`message`, '{$this}', COALESCE(`resource`, 'NULL')), '{?this}', COALESCE(`resource`, 'NULL')), '{$value}', COALESCE(`val`, 'NULL')), '{?value}', COALESCE(`val`, 'NULL')), '{$path}', COALESCE(`path`, 'NULL')), '{?path}', COALESCE(`path`, 'NULL')) END AS `text`, `datasetId`, `focus`, `parent`
FROM `fjr_checks`;

CREATE VIEW `fjr_needed` AS
SELECT `target_constraint_id` AS `target`, `operation`, `level`, COUNT(*) AS `needed`
FROM `constraint_combination_table` WHERE `operation` <> 'PUBLISH'
GROUP BY `target_constraint_id`, `operation`, `level`;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `alerts_bulk`
SELECT T.`resource`, T.`event`, 'Development', ARRAY['SHACL Validator'], MAX(T.`severity`), 'customer',
  MAX(T.`text`)
FROM `fjr_triggers_0` T JOIN `constraint_combination_table` M ON M.`member_constraint_id` = T.`constraint_id`
WHERE M.`operation` = 'PUBLISH'
GROUP BY T.`resource`, T.`event`;
END;
