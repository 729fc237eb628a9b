// Package e2e holds crossbucket's end-to-end tests: a real server on a real
// listener, driven by aws-sdk-go-v2 and the aws CLI.
package e2e
