-- AWS ECR Container Upload Unknown User, version 7
-- id 300688e4-365c-4486-a065-7c884462b31d, from detections/aws_ecr_container_upload_unknown_user.yml
-- Athena (Trino) SQL over sourcetype aws:cloudtrail.
-- Generated from the compiler by `npm run sql:update`; do not edit.
--
-- Parameters, one per ? in order:
--   ?1  day of the window start, yyyy/MM/dd (string)
--   ?2  day of the window's last millisecond, yyyy/MM/dd (string)
--   ?3  window start, inclusive, epoch seconds (number)
--   ?4  window end, exclusive, epoch seconds (number)
--
-- Columns: signature, user, user_agent, src, vendor_account, vendor_region, vendor_product, image,
--   count, firsttime (firstTime), lasttime (lastTime)
with "s1" as (select coalesce(json_extract_scalar("t"."requestparameters", '$.signature'), "t"."eventname") as "signature",
      coalesce(json_extract_scalar("t"."requestparameters", '$.user_name'), coalesce("t"."useridentity"."username", json_extract_scalar("t"."requestparameters", '$.sourceIdentity'), "t"."useridentity"."sessioncontext"."sessionissuer"."username", element_at(split(element_at(split("t"."useridentity"."arn", ':'), -1), '/'), -1))) as "user",
      coalesce(json_extract_scalar("t"."requestparameters", '$.user_agent'), "t"."useragent") as "user_agent",
      coalesce(json_extract_scalar("t"."requestparameters", '$.src'), "t"."sourceipaddress") as "src",
      coalesce(json_extract_scalar("t"."requestparameters", '$.vendor_account'), coalesce("t"."useridentity"."accountid", "t"."recipientaccountid")) as "vendor_account",
      coalesce(json_extract_scalar("t"."requestparameters", '$.vendor_region'), "t"."awsregion") as "vendor_region",
      coalesce(json_extract_scalar("t"."requestparameters", '$.vendor_product'), 'AWS CloudTrail') as "vendor_product",
      json_extract_scalar("t"."requestparameters", '$.repositoryName') as "image",
      to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) as "time"
  from "default"."cloudtrail_logs" as "t"
  where ((("t"."timestamp" >= ?) AND ("t"."timestamp" <= ?))
      AND (to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) >= ?)
      AND (to_unixtime(try(from_iso8601_timestamp("t"."eventtime"))) < ?)
      AND ((("t"."eventsource" IS NOT NULL) AND (lower("t"."eventsource") = 'ecr.amazonaws.com')) AND (("t"."eventname" IS NOT NULL) AND (lower("t"."eventname") = 'putimage')) AND (NOT ((coalesce("t"."useridentity"."username", json_extract_scalar("t"."requestparameters", '$.sourceIdentity'), "t"."useridentity"."sessioncontext"."sessionissuer"."username", element_at(split(element_at(split("t"."useridentity"."arn", ':'), -1), '/'), -1)) IS NOT NULL) AND (lower(coalesce("t"."useridentity"."username", json_extract_scalar("t"."requestparameters", '$.sourceIdentity'), "t"."useridentity"."sessioncontext"."sessionissuer"."username", element_at(split(element_at(split("t"."useridentity"."arn", ':'), -1), '/'), -1))) = 'user')))))),
"s2" as (select "s1"."signature" as "signature",
      "s1"."user" as "user",
      "s1"."user_agent" as "user_agent",
      "s1"."src" as "src",
      "s1"."vendor_account" as "vendor_account",
      "s1"."vendor_region" as "vendor_region",
      "s1"."vendor_product" as "vendor_product",
      "s1"."image" as "image",
      count(*) as "count",
      min("s1"."time") as "firsttime",
      max("s1"."time") as "lasttime"
  from "s1" as "s1"
  where (("s1"."signature" IS NOT NULL)
      AND ("s1"."user" IS NOT NULL)
      AND ("s1"."user_agent" IS NOT NULL)
      AND ("s1"."src" IS NOT NULL)
      AND ("s1"."vendor_account" IS NOT NULL)
      AND ("s1"."vendor_region" IS NOT NULL)
      AND ("s1"."vendor_product" IS NOT NULL)
      AND ("s1"."image" IS NOT NULL))
  group by "s1"."signature",
      "s1"."user",
      "s1"."user_agent",
      "s1"."src",
      "s1"."vendor_account",
      "s1"."vendor_region",
      "s1"."vendor_product",
      "s1"."image")
select "s2"."signature" as "signature",
    "s2"."user" as "user",
    "s2"."user_agent" as "user_agent",
    "s2"."src" as "src",
    "s2"."vendor_account" as "vendor_account",
    "s2"."vendor_region" as "vendor_region",
    "s2"."vendor_product" as "vendor_product",
    "s2"."image" as "image",
    "s2"."count" as "count",
    date_format(from_unixtime("s2"."firsttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "firsttime",
    date_format(from_unixtime("s2"."lasttime", 'UTC'), '%Y-%m-%dT%H:%i:%s') as "lasttime"
from "s2" as "s2"
order by "s2"."signature" ASC NULLS LAST,
    "s2"."user" ASC NULLS LAST,
    "s2"."user_agent" ASC NULLS LAST,
    "s2"."src" ASC NULLS LAST,
    "s2"."vendor_account" ASC NULLS LAST,
    "s2"."vendor_region" ASC NULLS LAST,
    "s2"."vendor_product" ASC NULLS LAST,
    "s2"."image" ASC NULLS LAST
