#!/usr/bin/env python3
"""o311_valid.py: check an Open311 JSON answer against its schema

    o311_valid.py SHAPE FILE

SHAPE is one of the official schemas of open311/schema-validation, kept in
tests/fixtures/open311/ (services, service-definition, requests), or one
of the shapes the spec gives only in prose, written here as schemas of the
same draft: errors, discovery, post (POST requests' answer), tokens,
updates and update-post (FixMyStreet's servicerequestupdates, as its
open311-adapter declares them).  Besides the schema, every *_datetime
field must be a W3C date-time with its time zone (the schemas' "format"
is not checked by jsonschema without extra packages).  Exit 0 when valid;
otherwise the problems on stderr and exit 1.
"""
import json
import os
import re
import sys

import jsonschema

try:	# jsonschema >= 4.18 resolves $ref through "referencing"
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4
except ImportError:	# Debian 12's 4.10: RefResolver with a local store
    Registry = None

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "open311")

STR = {"type": "string"}
STR_NULL = {"anyOf": [{"type": "string"}, {"type": "null"}]}

EXTRA = {
    "errors": {
        "type": "array", "minItems": 1,
        "items": {"type": "object", "required": ["code", "description"],
                  "properties": {"code": {"type": ["integer", "string"]},
                                 "description": {"type": "string",
                                                 "minLength": 1}}},
    },
    "discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": STR, "contact": STR_NULL, "key_service": STR_NULL,
            "endpoints": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "changeset", "type",
                                 "formats"],
                    "properties": {
                        "specification": STR, "url": STR, "changeset": STR,
                        "type": {"enum": ["production", "test"]},
                        "formats": {"type": "array", "items": STR},
                    }}}},
    },
    "post": {
        "type": "array", "minItems": 1,
        "items": {"type": "object",
                  "oneOf": [{"required": ["service_request_id"]},
                            {"required": ["token"]}],
                  "properties": {"service_request_id": STR, "token": STR,
                                 "service_notice": STR_NULL,
                                 "account_id": STR_NULL}},
    },
    "tokens": {
        "type": "array",
        "items": {"type": "object",
                  "required": ["service_request_id", "token"],
                  "properties": {"service_request_id": STR_NULL,
                                 "token": STR}},
    },
    "updates": {
        "type": "array",
        "items": {"type": "object",
                  "required": ["update_id", "service_request_id", "status",
                               "updated_datetime", "description",
                               "media_url"],
                  "properties": {
                      "update_id": {"type": "string", "minLength": 1},
                      "service_request_id": STR,
                      "status": {"enum": [
                          "open", "closed", "fixed", "in_progress",
                          "action_scheduled", "investigating", "duplicate",
                          "not_councils_responsibility", "no_further_action",
                          "internal_referral", "reopen", "for_triage"]},
                      "updated_datetime": STR, "description": STR_NULL,
                      "media_url": STR_NULL,
                      "external_status_code": STR_NULL}},
    },
    "update-post": {
        "type": "array", "minItems": 1,
        "items": {"type": "object", "required": ["update_id"],
                  "properties": {"update_id": {"type": "string",
                                               "minLength": 1}}},
    },
}

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


def dates(doc, path, problems):
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k.endswith("datetime") and v is not None and \
                    (not isinstance(v, str) or not W3C.match(v)):
                problems.append("%s.%s: %r is not a W3C date-time with "
                                "its time zone" % (path, k, v))
            dates(v, path + "." + k, problems)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            dates(v, "%s[%d]" % (path, i), problems)


def main():
    shape, path = sys.argv[1], sys.argv[2]
    store = {}
    for name in os.listdir(FIXTURES):
        if name.endswith(".json") and name != "swagger.json":
            with open(os.path.join(FIXTURES, name)) as f:
                store[name] = json.load(f)
    schema = EXTRA[shape] if shape in EXTRA else store[shape + ".json"]
    with open(path, "rb") as f:
        raw = f.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        print("not JSON: %s: %r" % (e, raw[:200]), file=sys.stderr)
        return 1
    # "$ref": "request.json" resolves in the fixtures, never on the network
    if Registry is not None:
        registry = Registry().with_resources(
            (name, Resource.from_contents(doc, default_specification=DRAFT4))
            for name, doc in store.items())
        validator = jsonschema.Draft4Validator(schema, registry=registry)
    else:
        resolver = jsonschema.RefResolver("", schema, store=store)
        validator = jsonschema.Draft4Validator(schema, resolver=resolver)
    problems = ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message)
                for e in validator.iter_errors(doc)]
    dates(doc, "$", problems)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
