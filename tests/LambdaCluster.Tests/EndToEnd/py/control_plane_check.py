"""Lambda's control plane as boto3 sees it: the answers AWS gives to inputs a new user tries (issue 12's list), resource
policies, tags, recursion and runtime-management settings, layer permissions and code signing configurations.

Usage: control_plane_check.py ENDPOINT ZIP_PATH. Prints "ok" and exits 0, or raises with what differed.
"""
import io
import json
import sys
import zipfile

import boto3
import botocore.exceptions

endpoint, zip_path = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
config = botocore.config.Config(retries={"max_attempts": 1})
lam = session.client("lambda", endpoint_url=endpoint, config=config)
kinesis = session.client("kinesis", endpoint_url=endpoint, config=config)
code = open(zip_path, "rb").read()
role = "arn:aws:iam::000000000000:role/lambda-role"
arn = "arn:aws:lambda:us-east-1:000000000000:function:"


def create(name, **extra):
    return lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": code}, **extra)


def error(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", ""), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{call.__name__}({kwargs}) succeeded")


def equal(expected, actual, what):
    if expected != actual:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


# 1. Publish=True publishes version 1 (and UpdateFunctionCode's publishes the next).
created = create("cp-publish", Publish=True)
equal("1", created["Version"], "create_function(Publish=True) Version")
equal(arn + "cp-publish:1", created["FunctionArn"], "its FunctionArn")
equal("1", lam.get_function(FunctionName="cp-publish", Qualifier="1")["Configuration"]["Version"], "version 1")
equal("2", lam.update_function_code(FunctionName="cp-publish", ZipFile=code + b"", Publish=True)["Version"], "update_function_code(Publish=True)")

# 2. Full and partial ARNs name the function to create.
equal("cp-f2", create(arn + "cp-f2")["FunctionName"], "created from a full ARN")
equal("cp-f3", create("000000000000:function:cp-f3")["FunctionName"], "created from a partial ARN")

# 3. A name too long, another region, another account.
code_, message, status = error(create, name="a" * 65)
equal(("InvalidParameterValueException", 400), (code_, status), "65-character name")
assert message.endswith("Member must have length less than or equal to 64"), message
equal(("ResourceNotFoundException", "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')", 404),
      error(lam.get_function, FunctionName="arn:aws:lambda:ap-southeast-1:000000000000:function:cp-f2"), "another region")
equal(("AccessDeniedException", 403), error(lam.get_function, FunctionName="arn:aws:lambda:us-east-1:123456789012:function:cp-f2")[::2], "another account")

# 4. $LATEST under its qualified ARN among versions and when asked for.
versions = lam.list_versions_by_function(FunctionName="cp-publish")["Versions"]
equal([arn + "cp-publish:$LATEST", arn + "cp-publish:1", arn + "cp-publish:2"], [v["FunctionArn"] for v in versions], "listed versions")
equal(arn + "cp-f2:$LATEST", lam.get_function(FunctionName="cp-f2", Qualifier="$LATEST")["Configuration"]["FunctionArn"], "get_function($LATEST)")
equal(arn + "cp-f2", lam.get_function(FunctionName="cp-f2")["Configuration"]["FunctionArn"], "get_function()")

# 5. The architecture enum is validated first.
equal(("ValidationException", "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]", 400),
      error(create, name="cp-arch", Architectures=["X86_64"]), "Architectures X86_64")

# 6. Deleting a version or an alias that does not exist succeeds.
equal(204, lam.delete_function(FunctionName="cp-publish", Qualifier="1233")["ResponseMetadata"]["HTTPStatusCode"], "delete missing version")
equal(204, lam.delete_alias(FunctionName="cp-publish", Name="nope")["ResponseMetadata"]["HTTPStatusCode"], "delete missing alias")
equal("ResourceNotFoundException", error(lam.delete_function, FunctionName="cp-never")[0], "delete missing function")

# 11. A stream that never received a record is deleted.
kinesis.create_stream(StreamName="cp-empty", ShardCount=2)
kinesis.delete_stream(StreamName="cp-empty")
equal("ResourceNotFoundException", error(kinesis.describe_stream, StreamName="cp-empty")[0], "deleted empty stream")

# Resource-based policies.
equal(("ResourceNotFoundException", "No policy is associated with the given resource.", 404), error(lam.get_policy, FunctionName="cp-f2"), "no policy yet")
added = lam.add_permission(FunctionName="cp-f2", StatementId="s3-invoke", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                           SourceArn="arn:aws:s3:::my-bucket", SourceAccount="000000000000")
equal({"Sid": "s3-invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": arn + "cp-f2",
       "Condition": {"StringEquals": {"AWS:SourceAccount": "000000000000"}, "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::my-bucket"}}},
      json.loads(added["Statement"]), "AddPermission's statement")
lam.add_permission(FunctionName="cp-f2", StatementId="account", Action="lambda:GetFunction", Principal="111122223333")
policy = lam.get_policy(FunctionName="cp-f2")
document = json.loads(policy["Policy"])
equal(("2012-10-17", "default", ["s3-invoke", "account"]), (document["Version"], document["Id"], [s["Sid"] for s in document["Statement"]]), "policy document")
equal({"AWS": "arn:aws:iam::111122223333:root"}, document["Statement"][1]["Principal"], "an account principal")
equal(policy["RevisionId"], lam.get_function(FunctionName="cp-f2")["Configuration"]["RevisionId"], "the policy's revision is the function's")
equal(("ResourceConflictException", 409), error(lam.add_permission, FunctionName="cp-f2", StatementId="account", Action="lambda:*", Principal="*")[::2], "duplicate sid")
equal(("PreconditionFailedException", 412), error(lam.add_permission, FunctionName="cp-f2", StatementId="late", Action="lambda:*", Principal="*", RevisionId="stale")[::2], "stale revision")
equal(("InvalidParameterValueException", "We currently do not support adding policies for $LATEST.", 400),
      error(lam.add_permission, FunctionName="cp-f2", Qualifier="$LATEST", StatementId="x", Action="lambda:*", Principal="*"), "$LATEST policy")
equal("ValidationException", error(lam.add_permission, FunctionName="cp-f2", StatementId="bad id!", Action="lambda:*", Principal="*")[0], "bad statement id")
equal("ValidationException", error(lam.add_permission, FunctionName="cp-f2", StatementId="x", Action="iam:PassRole", Principal="*")[0], "bad action")
lam.add_permission(FunctionName="cp-publish", Qualifier="1", StatementId="v1", Action="lambda:InvokeFunction", Principal="*")
equal(arn + "cp-publish:1", json.loads(lam.get_policy(FunctionName="cp-publish", Qualifier="1")["Policy"])["Statement"][0]["Resource"], "a version's policy")
equal("ResourceNotFoundException", error(lam.get_policy, FunctionName="cp-publish")[0], "the function's own policy is separate")
lam.remove_permission(FunctionName="cp-f2", StatementId="account")
equal(["s3-invoke"], [s["Sid"] for s in json.loads(lam.get_policy(FunctionName="cp-f2")["Policy"])["Statement"]], "after RemovePermission")
equal(("ResourceNotFoundException", "Statement account is not found in resource policy.", 404), error(lam.remove_permission, FunctionName="cp-f2", StatementId="account"), "remove twice")

# Tags: given at creation, added, removed; GetFunction shows them only when there are some.
tagged = create("cp-tags", Tags={"team": "a"})
equal({"team": "a"}, lam.list_tags(Resource=tagged["FunctionArn"])["Tags"], "tags from CreateFunction")
lam.tag_resource(Resource=tagged["FunctionArn"], Tags={"env": "dev", "team": "b"})
equal({"team": "b", "env": "dev"}, lam.get_function(FunctionName="cp-tags")["Tags"], "GetFunction's Tags")
lam.untag_resource(Resource=tagged["FunctionArn"], TagKeys=["team", "env"])
equal({}, lam.list_tags(Resource=tagged["FunctionArn"])["Tags"], "after UntagResource")
assert "Tags" not in lam.get_function(FunctionName="cp-tags"), "GetFunction without tags has no Tags"
equal(("InvalidParameterValueException", "Tags on function aliases and versions are not supported. Please specify a function ARN.", 400),
      error(lam.tag_resource, Resource=tagged["FunctionArn"] + ":1", Tags={"a": "b"}), "tagging a version")
equal("InvalidParameterValueException", error(lam.tag_resource, Resource=tagged["FunctionArn"], Tags={f"k{i}": "v" for i in range(51)})[0], "51 tags")
equal("ResourceNotFoundException", error(lam.list_tags, Resource=arn + "cp-never")[0], "tags of a missing function")

sqs = session.client("sqs", endpoint_url=endpoint, config=config)
queue = sqs.create_queue(QueueName="cp-tagged")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
mapping = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="cp-tags", Enabled=False, Tags={"pipeline": "p1"})
equal({"pipeline": "p1"}, lam.list_tags(Resource=mapping["EventSourceMappingArn"])["Tags"], "a mapping's tags from its creation")
lam.untag_resource(Resource=mapping["EventSourceMappingArn"], TagKeys=["pipeline"])
equal({}, lam.list_tags(Resource=mapping["EventSourceMappingArn"])["Tags"], "a mapping's tags after UntagResource")
lam.delete_event_source_mapping(UUID=mapping["UUID"])

# Recursion and runtime management settings.
equal("Terminate", lam.get_function_recursion_config(FunctionName="cp-tags")["RecursiveLoop"], "recursion default")
equal("Allow", lam.put_function_recursion_config(FunctionName="cp-tags", RecursiveLoop="Allow")["RecursiveLoop"], "recursion put")
equal("Allow", lam.get_function_recursion_config(FunctionName="cp-tags")["RecursiveLoop"], "recursion get")
equal("ValidationException", error(lam.put_function_recursion_config, FunctionName="cp-tags", RecursiveLoop="Sometimes")[0], "recursion enum")
runtime = lam.get_runtime_management_config(FunctionName="cp-tags")
equal(("Auto", arn + "cp-tags:$LATEST"), (runtime["UpdateRuntimeOn"], runtime["FunctionArn"]), "runtime management default")
equal("FunctionUpdate", lam.put_runtime_management_config(FunctionName="cp-tags", UpdateRuntimeOn="FunctionUpdate")["UpdateRuntimeOn"], "runtime management put")
equal("InvalidParameterValueException", error(lam.put_runtime_management_config, FunctionName="cp-tags", UpdateRuntimeOn="Manual")[0], "Manual without an ARN")

# Layer version permissions.
layer = lam.publish_layer_version(LayerName="cp-layer", Content={"ZipFile": code})
statement = json.loads(lam.add_layer_version_permission(LayerName="cp-layer", VersionNumber=layer["Version"], StatementId="org", Action="lambda:GetLayerVersion",
                                                        Principal="*", OrganizationId="o-abcdefghij")["Statement"])
equal({"Sid": "org", "Effect": "Allow", "Principal": "*", "Action": "lambda:GetLayerVersion", "Resource": layer["LayerVersionArn"],
       "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}}, statement, "layer statement")
equal(["org"], [s["Sid"] for s in json.loads(lam.get_layer_version_policy(LayerName="cp-layer", VersionNumber=layer["Version"])["Policy"])["Statement"]], "layer policy")
equal("ValidationException", error(lam.add_layer_version_permission, LayerName="cp-layer", VersionNumber=layer["Version"], StatementId="x", Action="lambda:InvokeFunction", Principal="*")[0], "layer action")
lam.remove_layer_version_permission(LayerName="cp-layer", VersionNumber=layer["Version"], StatementId="org")
equal("ResourceNotFoundException", error(lam.get_layer_version_policy, LayerName="cp-layer", VersionNumber=layer["Version"])[0], "layer policy removed")

# Code signing configurations and a function's use of one.
profile = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/cp/abcdef1234"
csc = lam.create_code_signing_config(Description="cp", AllowedPublishers={"SigningProfileVersionArns": [profile]},
                                     CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Enforce"})["CodeSigningConfig"]
assert csc["CodeSigningConfigId"].startswith("csc-") and len(csc["CodeSigningConfigId"]) == 21, csc
equal(csc, lam.get_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"])["CodeSigningConfig"], "GetCodeSigningConfig")
assert csc["CodeSigningConfigArn"] in [c["CodeSigningConfigArn"] for c in lam.list_code_signing_configs()["CodeSigningConfigs"]]
equal("Warn", lam.update_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"], CodeSigningPolicies={"UntrustedArtifactOnDeployment": "Warn"})
      ["CodeSigningConfig"]["CodeSigningPolicies"]["UntrustedArtifactOnDeployment"], "UpdateCodeSigningConfig")
lam.tag_resource(Resource=csc["CodeSigningConfigArn"], Tags={"owner": "security"})
equal({"owner": "security"}, lam.list_tags(Resource=csc["CodeSigningConfigArn"])["Tags"], "a code signing config's tags")
lam.put_function_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"], FunctionName="cp-tags")
equal(csc["CodeSigningConfigArn"], lam.get_function_code_signing_config(FunctionName="cp-tags")["CodeSigningConfigArn"], "function's config")
equal([arn + "cp-tags"], lam.list_functions_by_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"])["FunctionArns"], "functions using it")
equal(("ResourceConflictException", 409), error(lam.delete_code_signing_config, CodeSigningConfigArn=csc["CodeSigningConfigArn"])[::2], "delete while used")
missing = csc["CodeSigningConfigArn"][:-17] + "0" * 17
equal(("CodeSigningConfigNotFoundException", 404), error(lam.put_function_code_signing_config, CodeSigningConfigArn=missing, FunctionName="cp-tags")[::2], "missing config")
lam.delete_function_code_signing_config(FunctionName="cp-tags")
lam.delete_code_signing_config(CodeSigningConfigArn=csc["CodeSigningConfigArn"])
equal("ResourceNotFoundException", error(lam.get_code_signing_config, CodeSigningConfigArn=csc["CodeSigningConfigArn"])[0], "deleted config")

print("ok")
