package api

import (
	"net/http"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
)

// servesRegion reports whether the front door serves requests signed for region: a region
// name, and one of Config.Regions when those are set.
func (h *Handler) servesRegion(region string) bool {
	if !arn.IsRegion(region) {
		return false
	}
	return len(h.cfg.Regions) == 0 || slices.Contains(h.cfg.Regions, region)
}

// regional switches c to the service of its region, which Deps.ServicesIn provides: regional
// services keep each region's resources apart, global ones (IAM, STS) are the same in every
// region.
func (h *Handler) regional(c *call, region string) *awsproto.Error {
	if h.deps.ServicesIn == nil {
		return nil
	}
	services, err := h.deps.ServicesIn(c.r.Context(), region)
	if err != nil {
		h.deps.Logger.Error("open region", "request_id", c.requestID, "region", region, "err", err)
		return &awsproto.Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error.", Status: http.StatusInternalServerError}
	}
	for i := range services {
		// A name may stand for two APIs of different protocols (hooks: fargo's JSON one and
		// Lambda's REST one): the region's must be the one the request speaks.
		if services[i].Name == c.svc.Name && services[i].Protocol == c.svc.Protocol {
			c.svc = &services[i]
			return nil
		}
	}
	return unknownOperation(c)
}
