"""STS GetCallerIdentity, so clients can learn "their" account from the same endpoint.

STS speaks the query protocol: a form-encoded POST (`Action=GetCallerIdentity&Version=2011-06-15`)
answered in XML. The account is the one the server derived from the access key id.
"""

import uuid
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"


def handle(body, account):
    """(status, xml, operation, error_code) for one STS request body; account None = unsigned."""
    action = parse_qs(body.decode("utf-8", "replace")).get("Action", ["Unknown"])[0]
    if account is None:
        message = "Request is missing Authentication Token"
        return 400, error_xml("MissingAuthenticationToken", message), action, "MissingAuthenticationToken"
    if action != "GetCallerIdentity":
        message = f"Could not find operation {action} for version 2011-06-15"
        return 400, error_xml("InvalidAction", message), action, "InvalidAction"
    result = (
        f"<Arn>arn:aws:iam::{account}:user/local</Arn>"
        f"<UserId>AIDA{account}LOCAL</UserId>"
        f"<Account>{account}</Account>"
    )
    xml = (
        f'<GetCallerIdentityResponse xmlns="{NAMESPACE}">'
        f"<GetCallerIdentityResult>{result}</GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    )
    return 200, xml, action, None


def error_xml(code, message):
    return (
        f'<ErrorResponse xmlns="{NAMESPACE}">'
        f"<Error><Type>Sender</Type><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId>"
        "</ErrorResponse>"
    )
