-- ASL AWS ECR Container Upload Outside Business Hours, version 8
-- id 739ed682-27e9-4ba0-80e5-a91b97698213, from detections/asl_aws_ecr_container_upload_outside_business_hours.yml
-- Athena (Trino) SQL over sourcetype aws:asl.
-- Generated from the compiler by `npm run sql:update`; do not edit.
--
-- Parameters, one per ? in order:
--   ?1  window start, inclusive, UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSS' (timestamp)
--   ?2  window end, exclusive, UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSS' (timestamp)
--   ?3  value "us-east-1" from configuration (string)
--   ?4  window start, inclusive, epoch milliseconds (number)
--   ?5  window end, exclusive, epoch milliseconds (number)
--
-- Columns: user, action, dest, user_agent, src, vendor_account, vendor_product, vendor_region,
--   api_request_data (api.request.data), count, firsttime (firstTime), lasttime (lastTime)
with "s1" as (select CASE WHEN (count("t"."actor"."user"."uid") OVER () > 0) THEN coalesce("t"."actor"."user"."uid", '0') ELSE "t"."actor"."user"."uid" END as "actor_user_uid",
      CASE WHEN (count("t"."api"."operation") OVER () > 0) THEN coalesce("t"."api"."operation", '0') ELSE "t"."api"."operation" END as "api_operation",
      CASE WHEN (count("t"."api"."service"."name") OVER () > 0) THEN coalesce("t"."api"."service"."name", '0') ELSE "t"."api"."service"."name" END as "api_service_name",
      CASE WHEN (count("t"."http_request"."user_agent") OVER () > 0) THEN coalesce("t"."http_request"."user_agent", '0') ELSE "t"."http_request"."user_agent" END as "http_request_user_agent",
      CASE WHEN (count("t"."src_endpoint"."ip") OVER () > 0) THEN coalesce("t"."src_endpoint"."ip", '0') ELSE "t"."src_endpoint"."ip" END as "src_endpoint_ip",
      CASE WHEN (count("t"."actor"."user"."account"."uid") OVER () > 0) THEN coalesce("t"."actor"."user"."account"."uid", '0') ELSE "t"."actor"."user"."account"."uid" END as "actor_user_account_uid",
      CASE WHEN (count("t"."cloud"."provider") OVER () > 0) THEN coalesce("t"."cloud"."provider", '0') ELSE "t"."cloud"."provider" END as "cloud_provider",
      CASE WHEN (count("t"."cloud"."region") OVER () > 0) THEN coalesce("t"."cloud"."region", '0') ELSE "t"."cloud"."region" END as "cloud_region",
      CASE WHEN (count("t"."api"."request"."data") OVER () > 0) THEN coalesce("t"."api"."request"."data", '0') ELSE "t"."api"."request"."data" END as "api_request_data",
      (CAST("t"."time" AS DOUBLE) / 1000) as "time"
  from "amazon_security_lake_glue_db_us_east_1"."amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0" as "t"
  where (("t"."time_dt" >= ?)
      AND ("t"."time_dt" < ?)
      AND ("t"."region" = ?)
      AND ("t"."time" >= ?)
      AND ("t"."time" < ?)
      AND (("t"."api"."operation" IS NOT NULL) AND (lower("t"."api"."operation") = 'putimage'))
      AND (((CASE WHEN (CASE WHEN regexp_like(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H'), '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$') THEN CAST(trim(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H')) AS DOUBLE) END IS NOT NULL) THEN (CASE WHEN regexp_like(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H'), '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$') THEN CAST(trim(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H')) AS DOUBLE) END >= 20) ELSE (date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H') >= CAST(20 AS VARCHAR)) END OR CASE WHEN (CASE WHEN regexp_like(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H'), '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$') THEN CAST(trim(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H')) AS DOUBLE) END IS NOT NULL) THEN (CASE WHEN regexp_like(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H'), '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$') THEN CAST(trim(date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H')) AS DOUBLE) END < 8) ELSE (date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%H') < CAST(8 AS VARCHAR)) END) OR (date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%W') = 'Saturday')) OR (date_format(from_unixtime((CAST("t"."time" AS DOUBLE) / power(10, 3)), 'UTC'), '%W') = 'Sunday')))),
"s2" as (select "s1"."actor_user_uid" as "actor_user_uid",
      "s1"."api_operation" as "api_operation",
      "s1"."api_service_name" as "api_service_name",
      "s1"."http_request_user_agent" as "http_request_user_agent",
      "s1"."src_endpoint_ip" as "src_endpoint_ip",
      "s1"."actor_user_account_uid" as "actor_user_account_uid",
      "s1"."cloud_provider" as "cloud_provider",
      "s1"."cloud_region" as "cloud_region",
      "s1"."api_request_data" as "api_request_data",
      "s1"."time" as "time"
  from "s1" as "s1"),
"s3" as (select "s2"."actor_user_uid" as "actor_user_uid",
      "s2"."api_operation" as "api_operation",
      "s2"."api_service_name" as "api_service_name",
      "s2"."http_request_user_agent" as "http_request_user_agent",
      "s2"."src_endpoint_ip" as "src_endpoint_ip",
      "s2"."actor_user_account_uid" as "actor_user_account_uid",
      "s2"."cloud_provider" as "cloud_provider",
      "s2"."cloud_region" as "cloud_region",
      "s2"."api_request_data" as "api_request_data",
      count(*) as "count",
      min("s2"."time") as "firsttime",
      max("s2"."time") as "lasttime"
  from "s2" as "s2"
  where (("s2"."actor_user_uid" IS NOT NULL)
      AND ("s2"."api_operation" IS NOT NULL)
      AND ("s2"."api_service_name" IS NOT NULL)
      AND ("s2"."http_request_user_agent" IS NOT NULL)
      AND ("s2"."src_endpoint_ip" IS NOT NULL)
      AND ("s2"."actor_user_account_uid" IS NOT NULL)
      AND ("s2"."cloud_provider" IS NOT NULL)
      AND ("s2"."cloud_region" IS NOT NULL)
      AND ("s2"."api_request_data" IS NOT NULL))
  group by "s2"."actor_user_uid",
      "s2"."api_operation",
      "s2"."api_service_name",
      "s2"."http_request_user_agent",
      "s2"."src_endpoint_ip",
      "s2"."actor_user_account_uid",
      "s2"."cloud_provider",
      "s2"."cloud_region",
      "s2"."api_request_data")
select "s3"."actor_user_uid" as "user",
    "s3"."api_operation" as "action",
    "s3"."api_service_name" as "dest",
    "s3"."http_request_user_agent" as "user_agent",
    "s3"."src_endpoint_ip" as "src",
    "s3"."actor_user_account_uid" as "vendor_account",
    "s3"."cloud_provider" as "vendor_product",
    "s3"."cloud_region" as "vendor_region",
    "s3"."api_request_data" as "api_request_data",
    "s3"."count" as "count",
    date_format(from_unixtime("s3"."firsttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "firsttime",
    date_format(from_unixtime("s3"."lasttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "lasttime"
from "s3" as "s3"
order by "s3"."actor_user_uid" ASC NULLS LAST,
    "s3"."api_operation" ASC NULLS LAST,
    "s3"."api_service_name" ASC NULLS LAST,
    "s3"."http_request_user_agent" ASC NULLS LAST,
    "s3"."src_endpoint_ip" ASC NULLS LAST,
    "s3"."actor_user_account_uid" ASC NULLS LAST,
    "s3"."cloud_provider" ASC NULLS LAST,
    "s3"."cloud_region" ASC NULLS LAST,
    "s3"."api_request_data" ASC NULLS LAST
