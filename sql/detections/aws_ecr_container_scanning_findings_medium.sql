-- AWS ECR Container Scanning Findings Medium, version 8
-- id 0b80e2c8-c746-4ddb-89eb-9efd892220cf, from detections/aws_ecr_container_scanning_findings_medium.yml
-- Athena (Trino) SQL over sourcetype aws:cloudtrail.
-- Generated from the compiler by `npm run sql:update`; do not edit.
--
-- Parameters, one per ? in order:
--   ?1  day of the window start, yyyy/MM/dd (string)
--   ?2  day of the window's last millisecond, yyyy/MM/dd (string)
--   ?3  window start, inclusive, epoch seconds (number)
--   ?4  window end, exclusive, epoch seconds (number)
--
-- Columns: signature, dest, user, user_agent, src, vendor_account, vendor_region, vendor_product,
--   finding_name, finding_description, imagedigest (imageDigest), repository, count,
--   firsttime (firstTime), lasttime (lastTime)
with "s1" as (select coalesce(json_extract_scalar("u2"."v", '$.signature'), "t"."eventname") as "signature",
      coalesce(json_extract_scalar("u2"."v", '$.dest'), "t"."eventsource") as "dest",
      coalesce(json_extract_scalar("u2"."v", '$.user_name'), coalesce("t"."useridentity"."username", json_extract_scalar("t"."requestparameters", '$.sourceIdentity'), "t"."useridentity"."sessioncontext"."sessionissuer"."username", element_at(split(element_at(split("t"."useridentity"."arn", ':'), -1), '/'), -1))) as "user",
      coalesce(json_extract_scalar("u2"."v", '$.user_agent'), "t"."useragent") as "user_agent",
      coalesce(json_extract_scalar("u2"."v", '$.src'), "t"."sourceipaddress") as "src",
      coalesce(json_extract_scalar("u2"."v", '$.vendor_account'), coalesce("t"."useridentity"."accountid", "t"."recipientaccountid")) as "vendor_account",
      coalesce(json_extract_scalar("u2"."v", '$.vendor_region'), "t"."awsregion") as "vendor_region",
      coalesce(json_extract_scalar("u2"."v", '$.vendor_product'), 'AWS CloudTrail') as "vendor_product",
      json_extract_scalar("u2"."v", '$.name') as "finding_name",
      json_extract_scalar("u2"."v", '$.description') as "finding_description",
      coalesce(json_extract_scalar("u2"."v", '$.requestParameters.imageId.imageDigest'), json_extract_scalar("t"."requestparameters", '$.imageId.imageDigest')) as "imagedigest",
      coalesce(json_extract_scalar("u2"."v", '$.requestParameters.repositoryName'), json_extract_scalar("t"."requestparameters", '$.repositoryName')) as "repository",
      to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) as "time"
  from "default"."cloudtrail_logs" as "t"
  cross join UNNEST(CASE WHEN cardinality(filter(transform(try_cast(json_extract("t"."responseelements", '$.imageScanFindings.findings') AS ARRAY(JSON)), x1 -> coalesce(json_extract_scalar(x1, '$'), nullif(json_format(x1), 'null'))), x2 -> x2 IS NOT NULL)) = 0 THEN NULL ELSE filter(transform(try_cast(json_extract("t"."responseelements", '$.imageScanFindings.findings') AS ARRAY(JSON)), x1 -> coalesce(json_extract_scalar(x1, '$'), nullif(json_format(x1), 'null'))), x2 -> x2 IS NOT NULL) END) WITH ORDINALITY as "u2"("v", "n")
  where ((("t"."timestamp" >= ?) AND ("t"."timestamp" <= ?))
      AND (to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) >= ?)
      AND (to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) < ?)
      AND ((("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'ecr.amazonaws.com')) AND (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'describeimagescanfindings')))
      AND ((json_extract_scalar("u2"."v", '$.severity') IS NOT NULL) AND (lower(json_extract_scalar("u2"."v", '$.severity')) = 'medium')))),
"s2" as (select "s1"."signature" as "signature",
      "s1"."dest" as "dest",
      "s1"."user" as "user",
      "s1"."user_agent" as "user_agent",
      "s1"."src" as "src",
      "s1"."vendor_account" as "vendor_account",
      "s1"."vendor_region" as "vendor_region",
      "s1"."vendor_product" as "vendor_product",
      "s1"."finding_name" as "finding_name",
      "s1"."finding_description" as "finding_description",
      "s1"."imagedigest" as "imagedigest",
      "s1"."repository" as "repository",
      count(*) as "count",
      min("s1"."time") as "firsttime",
      max("s1"."time") as "lasttime"
  from "s1" as "s1"
  where (("s1"."signature" IS NOT NULL)
      AND ("s1"."dest" IS NOT NULL)
      AND ("s1"."user" IS NOT NULL)
      AND ("s1"."user_agent" IS NOT NULL)
      AND ("s1"."src" IS NOT NULL)
      AND ("s1"."vendor_account" IS NOT NULL)
      AND ("s1"."vendor_region" IS NOT NULL)
      AND ("s1"."vendor_product" IS NOT NULL)
      AND ("s1"."finding_name" IS NOT NULL)
      AND ("s1"."finding_description" IS NOT NULL)
      AND ("s1"."imagedigest" IS NOT NULL)
      AND ("s1"."repository" IS NOT NULL))
  group by "s1"."signature",
      "s1"."dest",
      "s1"."user",
      "s1"."user_agent",
      "s1"."src",
      "s1"."vendor_account",
      "s1"."vendor_region",
      "s1"."vendor_product",
      "s1"."finding_name",
      "s1"."finding_description",
      "s1"."imagedigest",
      "s1"."repository")
select "s2"."signature" as "signature",
    "s2"."dest" as "dest",
    "s2"."user" as "user",
    "s2"."user_agent" as "user_agent",
    "s2"."src" as "src",
    "s2"."vendor_account" as "vendor_account",
    "s2"."vendor_region" as "vendor_region",
    "s2"."vendor_product" as "vendor_product",
    "s2"."finding_name" as "finding_name",
    "s2"."finding_description" as "finding_description",
    "s2"."imagedigest" as "imagedigest",
    "s2"."repository" as "repository",
    "s2"."count" as "count",
    date_format(from_unixtime("s2"."firsttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "firsttime",
    date_format(from_unixtime("s2"."lasttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "lasttime"
from "s2" as "s2"
order by "s2"."signature" ASC NULLS LAST,
    "s2"."dest" ASC NULLS LAST,
    "s2"."user" ASC NULLS LAST,
    "s2"."user_agent" ASC NULLS LAST,
    "s2"."src" ASC NULLS LAST,
    "s2"."vendor_account" ASC NULLS LAST,
    "s2"."vendor_region" ASC NULLS LAST,
    "s2"."vendor_product" ASC NULLS LAST,
    "s2"."finding_name" ASC NULLS LAST,
    "s2"."finding_description" ASC NULLS LAST,
    "s2"."imagedigest" ASC NULLS LAST,
    "s2"."repository" ASC NULLS LAST
