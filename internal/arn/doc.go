// Package arn parses and builds Amazon Resource Names in the exact formats AWS uses, so that
// clients which split or match ARNs behave against fargo as they do against AWS.
package arn
