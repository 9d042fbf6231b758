package codedeployapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// pages are the pagination rules of CodeDeploy's List operations, whose requests name no page
// size: nextToken may be empty for the first page.
var pages = awsproto.Pages{
	TokenError:   func(string) error { return errInvalidNextToken },
	EmptyIsFirst: true,
}

// page returns the sorted keys of the page token names, at most a.pageSize of them, and the
// token of the next page.
func (a *API) page(keys []string, token *string) ([]string, *string, error) {
	return awsproto.Paginate(pages, keys, awsproto.ByString(), token, nil, a.pageSize)
}
