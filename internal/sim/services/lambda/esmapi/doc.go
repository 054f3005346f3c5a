// Package esmapi serves Lambda's event source mapping API (API version 2015-03-31):
// CreateEventSourceMapping (202), GetEventSourceMapping, ListEventSourceMappings,
// UpdateEventSourceMapping (202) and DeleteEventSourceMapping (202), over restJson, on the paths
// the SDKs use. It only decodes and encodes: the mappings, their states and their pollers live in
// internal/sim/esm.
//
// The lead mounts it on the Lambda service:
//
//	lambdaSvc.Mount(esmapi.New(esmSvc, logger).Handler(), esmapi.Patterns...)
//
// Sources: https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html and
// the other operations' pages; request and response shapes from aws-sdk-go-v2/service/lambda
// v1.115.0 request_snapshot and response_snapshot.
package esmapi
