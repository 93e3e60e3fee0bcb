import { arrayOf, str, struct, type TableSchema } from '../table-schema.js';

/**
 * The Athena CloudTrail table (AWS docs, "Create a table for CloudTrail logs in Athena using
 * manual partitioning"): every leaf is a string; requestParameters, responseElements,
 * additionalEventData and serviceEventDetails are JSON text. Partitioned region/year/month/day.
 */
export const cloudtrailTable: TableSchema = {
  partitions: ['region', 'year', 'month', 'day'],
  columns: [
    str('eventversion', { json: 'eventVersion' }),
    struct(
      'useridentity',
      [
        str('type'),
        str('principalid', { json: 'principalId' }),
        str('arn'),
        str('accountid', { json: 'accountId' }),
        str('invokedby', { json: 'invokedBy' }),
        str('accesskeyid', { json: 'accessKeyId' }),
        str('username', { json: 'userName' }),
        struct(
          'onbehalfof',
          [str('userid', { json: 'userId' }), str('identitystorearn', { json: 'identityStoreArn' })],
          {
            json: 'onBehalfOf',
          },
        ),
        struct(
          'sessioncontext',
          [
            struct('attributes', [
              str('mfaauthenticated', { json: 'mfaAuthenticated' }),
              str('creationdate', { json: 'creationDate' }),
            ]),
            struct(
              'sessionissuer',
              [
                str('type'),
                str('principalid', { json: 'principalId' }),
                str('arn'),
                str('accountid', { json: 'accountId' }),
                str('username', { json: 'userName' }),
              ],
              { json: 'sessionIssuer' },
            ),
            str('ec2roledelivery', { json: 'ec2RoleDelivery' }),
            str('sourceidentity', { json: 'sourceIdentity' }),
          ],
          { json: 'sessionContext' },
        ),
      ],
      { json: 'userIdentity' },
    ),
    str('eventtime', { json: 'eventTime' }),
    str('eventsource', { json: 'eventSource' }),
    str('eventname', { json: 'eventName' }),
    str('awsregion', { json: 'awsRegion' }),
    str('sourceipaddress', { json: 'sourceIPAddress' }),
    str('useragent', { json: 'userAgent' }),
    str('errorcode', { json: 'errorCode' }),
    str('errormessage', { json: 'errorMessage' }),
    str('requestparameters', { json: 'requestParameters', jsonText: true }),
    str('responseelements', { json: 'responseElements', jsonText: true }),
    str('additionaleventdata', { json: 'additionalEventData', jsonText: true }),
    str('requestid', { json: 'requestID' }),
    str('eventid', { json: 'eventID' }),
    arrayOf('resources', {
      kind: 'struct',
      fields: [str('arn', { json: 'ARN' }), str('accountid', { json: 'accountId' }), str('type')],
    }),
    str('eventtype', { json: 'eventType' }),
    str('apiversion', { json: 'apiVersion' }),
    str('readonly', { json: 'readOnly' }),
    str('recipientaccountid', { json: 'recipientAccountId' }),
    str('serviceeventdetails', { json: 'serviceEventDetails', jsonText: true }),
    str('sharedeventid', { json: 'sharedEventID' }),
    str('vpcendpointid', { json: 'vpcEndpointId' }),
    str('eventcategory', { json: 'eventCategory' }),
    str('managementevent', { json: 'managementEvent' }),
    str('sessioncredentialfromconsole', { json: 'sessionCredentialFromConsole' }),
    struct(
      'tlsdetails',
      [
        str('tlsversion', { json: 'tlsVersion' }),
        str('ciphersuite', { json: 'cipherSuite' }),
        str('clientprovidedhostheader', { json: 'clientProvidedHostHeader' }),
      ],
      { json: 'tlsDetails' },
    ),
  ],
};
