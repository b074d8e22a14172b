package liveapi

import (
	"context"
)

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Debug(ctx, msg, fields)
	}
}

func (c *Client) warn(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Warn(ctx, msg, fields)
	}
}
