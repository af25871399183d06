"""moto_server with the AWS Transfer Family calls moto 5.2.1 lacks and the portal makes.

moto's Transfer backend has no UpdateUser, TagResource, UntagResource, ListTagsForResource
or ListHostKeys, its DescribeServer answers an unknown server with an HTTP 500, and its
CreateUser replaces a user that exists instead of refusing it. This
script adds them to moto's backend and response classes, then runs the server exactly as
``moto_server`` does (same arguments), so the tests exercise these calls over HTTP like any
other. Shapes follow the botocore service model for transfer (2018-11-05) and the API
reference, https://docs.aws.amazon.com/transfer/latest/APIReference/ (one page per
operation, e.g. API_UpdateUser.html).

Transfer speaks JSON 1.1: the X-Amz-Target header ``TransferService.UpdateUser`` selects
the method ``update_user`` on TransferResponse, so adding a method is adding an operation.
"""

import base64
import hashlib
import json
import sys

from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time
from moto.server import main
from moto.transfer.models import TransferBackend
from moto.transfer.responses import TransferResponse


class _NamedResourceError(JsonRESTError):
    """An AWS Transfer error naming its resource: Message, Resource and ResourceType are
    required members (API_ResourceNotFoundException.html, API_ResourceExistsException.html)."""

    def __init__(self, code: str, message: str, resource: str, resource_type: str) -> None:
        super().__init__(code, message)
        self.description = json.dumps(
            {
                "__type": code,
                "Message": self.message,
                "Resource": resource,
                "ResourceType": resource_type,
            }
        )


class ResourceNotFound(_NamedResourceError):
    """ResourceType is e.g. Server or User."""

    def __init__(self, resource: str, resource_type: str) -> None:
        super().__init__("ResourceNotFoundException", f"Unknown {resource_type.lower()}", resource, resource_type)


class ResourceExists(_NamedResourceError):
    """CreateUser on a user name the server already has."""

    def __init__(self, resource: str, resource_type: str) -> None:
        super().__init__("ResourceExistsException", f"{resource_type} already exists", resource, resource_type)


class InvalidRequest(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidRequestException", message)


class InvalidNextToken(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidNextTokenException", "Invalid NextToken")


# --- backend -------------------------------------------------------------------------


def _server(backend, server_id):
    if server_id not in backend.servers:
        raise ResourceNotFound(server_id, "Server")
    return backend.servers[server_id]


def _user(backend, server_id, user_name):
    for user in _server(backend, server_id)._users:
        if user.user_name == user_name:
            return user
    raise ResourceNotFound(user_name, "User")


def describe_server(self, server_id):
    # moto forgets to raise here and answers an unknown server with a KeyError (HTTP 500)
    return _server(self, server_id)


def delete_server(self, server_id):
    # the same omission as in describe_server
    _server(self, server_id)
    del self.servers[server_id]


_moto_create_user = TransferBackend.create_user


def create_user(self, **kwargs):
    """API_CreateUser.html lists ResourceExistsException; moto replaces the user instead."""
    server = _server(self, kwargs["server_id"])
    if any(user.user_name == kwargs["user_name"] for user in server._users):
        raise ResourceExists(kwargs["user_name"], "User")
    return _moto_create_user(self, **kwargs)


_moto_import_ssh_public_key = TransferBackend.import_ssh_public_key


def _key_material(body):
    # type and base64 blob; the comment is not part of the key
    return tuple(body.split()[:2])


def import_ssh_public_key(self, server_id, ssh_public_key_body, user_name):
    """API_ImportSshPublicKey.html lists ResourceExistsException: a user holds a key once; moto appends a copy."""
    user = _user(self, server_id, user_name)
    if any(_key_material(key["ssh_public_key_body"]) == _key_material(ssh_public_key_body)
           for key in user.ssh_public_keys):
        raise ResourceExists(user_name, "PublicKey")
    return _moto_import_ssh_public_key(self, server_id, ssh_public_key_body, user_name)


def update_user(self, server_id, user_name, fields):
    """API_UpdateUser.html: only the members sent change; the answer names the user."""
    user = _user(self, server_id, user_name)
    if "Role" in fields:
        user.role = fields["Role"]
    if "HomeDirectoryType" in fields:
        user.home_directory_type = fields["HomeDirectoryType"]
    if "HomeDirectory" in fields:
        user.home_directory = fields["HomeDirectory"]
    if "HomeDirectoryMappings" in fields:
        # stored the way moto's create_user stores them
        user.home_directory_mappings = [
            {"entry": m.get("Entry"), "target": m.get("Target"), "type": m.get("Type")}
            for m in fields["HomeDirectoryMappings"]
        ]
    if "Policy" in fields:
        user.policy = fields["Policy"]
    if "PosixProfile" in fields:
        profile = fields["PosixProfile"]
        user.posix_profile = {
            "uid": profile.get("Uid"),
            "gid": profile.get("Gid"),
            "secondary_gids": profile.get("SecondaryGids"),
        }
    return server_id, user_name


def _tagged(backend, arn):
    """The server, user or connector an ARN names; its tags are what DescribeServer,
    DescribeUser and DescribeConnector return."""
    for server in backend.servers.values():
        if server.arn == arn:
            return server
        for user in server._users:
            if user.arn == arn:
                return user
    for connector in backend.connectors.values():
        if connector.arn == arn:
            return connector
    return None


def tag_resource(self, arn, tags):
    """API_TagResource.html: a tag whose key is already there gets the new value."""
    resource = _tagged(self, arn)
    if resource is None:
        raise ResourceNotFound(arn, "Resource")
    new = {tag["Key"]: tag["Value"] for tag in tags}
    kept = [tag for tag in resource.tags if tag["Key"] not in new]
    resource.tags = kept + [{"Key": k, "Value": v} for k, v in new.items()]


def untag_resource(self, arn, tag_keys):
    """API_UntagResource.html: keys that are not there are ignored."""
    resource = _tagged(self, arn)
    if resource is None:
        raise ResourceNotFound(arn, "Resource")
    resource.tags = [tag for tag in resource.tags if tag["Key"] not in tag_keys]


def list_tags_for_resource(self, arn):
    resource = _tagged(self, arn)
    if resource is None:
        # the model lists no ResourceNotFoundException for ListTagsForResource
        raise InvalidRequest(f"Invalid Arn {arn}")
    return list(resource.tags)


def _host_keys(backend, server):
    """Fake host keys, the same for a server every time: the RSA key Transfer generates
    for a new server and an ED25519 key added to it (API_ListedHostKey.html). Ids match
    hostkey-[0-9a-f]{17}; fingerprints look like ssh-keygen -l output, SHA256:<base64>."""
    if not hasattr(server, "portal_host_keys"):
        imported = unix_time()
        keys = []
        for number, key_type in enumerate(["ssh-rsa", "ssh-ed25519"]):
            digest = hashlib.sha256(f"{server.server_id}/{key_type}".encode()).digest()
            host_key_id = "hostkey-" + digest.hex()[:17]
            keys.append(
                {
                    "Arn": f"arn:aws:transfer:{backend.region_name}:{backend.account_id}"
                    f":host-key/{server.server_id}/{host_key_id}",
                    "HostKeyId": host_key_id,
                    "Fingerprint": "SHA256:"
                    + base64.b64encode(digest).decode().rstrip("="),
                    "Description": f"{key_type} host key",
                    "Type": key_type,
                    "DateImported": imported + number,
                }
            )
        server.portal_host_keys = keys
    return server.portal_host_keys


def list_host_keys(self, server_id):
    return _host_keys(self, _server(self, server_id))


original_create_server = TransferBackend.create_server


def create_server(self, **kwargs):
    """DescribeServer's HostKeyFingerprint is the fingerprint of the server's first host
    key (moto stores the HostKey sent, a private key, or nothing there)."""
    server_id = original_create_server(self, **kwargs)
    server = self.servers[server_id]
    server.host_key_fingerprint = _host_keys(self, server)[0]["Fingerprint"]
    return server_id


TransferBackend.describe_server = describe_server
TransferBackend.delete_server = delete_server
TransferBackend.create_server = create_server
TransferBackend.create_user = create_user
TransferBackend.import_ssh_public_key = import_ssh_public_key
TransferBackend.update_user = update_user
TransferBackend.tag_resource = tag_resource
TransferBackend.untag_resource = untag_resource
TransferBackend.list_tags_for_resource = list_tags_for_resource
TransferBackend.list_host_keys = list_host_keys


# --- responses -----------------------------------------------------------------------


def _page(items, params):
    """MaxResults (1..1000) and NextToken, the offset of the next item as a string."""
    token = params.get("NextToken")
    try:
        start = int(token) if token is not None else 0
    except ValueError:
        raise InvalidNextToken() from None
    if start < 0 or start > len(items):
        raise InvalidNextToken()
    end = start + int(params.get("MaxResults") or 1000)
    return items[start:end], (str(end) if end < len(items) else None)


def _with_token(answer, token):
    if token is not None:
        answer["NextToken"] = token
    return json.dumps(answer)


def update_user_response(self):
    params = json.loads(self.body)
    server_id, user_name = self.transfer_backend.update_user(
        params.get("ServerId"), params.get("UserName"), params
    )
    return json.dumps({"ServerId": server_id, "UserName": user_name})


def tag_resource_response(self):
    params = json.loads(self.body)
    self.transfer_backend.tag_resource(params.get("Arn"), params.get("Tags") or [])
    return json.dumps({})


def untag_resource_response(self):
    params = json.loads(self.body)
    self.transfer_backend.untag_resource(params.get("Arn"), params.get("TagKeys") or [])
    return json.dumps({})


def list_tags_for_resource_response(self):
    params = json.loads(self.body)
    tags, token = _page(
        self.transfer_backend.list_tags_for_resource(params.get("Arn")), params
    )
    return _with_token({"Arn": params.get("Arn"), "Tags": tags}, token)


def list_host_keys_response(self):
    params = json.loads(self.body)
    keys, token = _page(
        self.transfer_backend.list_host_keys(params.get("ServerId")), params
    )
    return _with_token({"ServerId": params.get("ServerId"), "HostKeys": keys}, token)


TransferResponse.update_user = update_user_response
TransferResponse.tag_resource = tag_resource_response
TransferResponse.untag_resource = untag_resource_response
TransferResponse.list_tags_for_resource = list_tags_for_resource_response
TransferResponse.list_host_keys = list_host_keys_response


if __name__ == "__main__":
    main(sys.argv[1:])
