package provider

import (
	"reflect"
	"testing"

	"github.com/alilive/terraform-provider-alilive/internal/liveapi"
)

func TestFilterTasks(t *testing.T) {
	mk := func(id, name, dst string, status int32) liveapi.Task {
		return liveapi.Task{ID: id, Status: status, Spec: liveapi.Spec{TaskName: name, DstURL: dst}}
	}
	tasks := []liveapi.Task{
		mk("c", "relay", "rtmp://h/app/s1", liveapi.StatusRunning),
		mk("a", "relay-2", "rtmp://h/app/s1", liveapi.StatusIdle),
		mk("b", "relay", "rtmp://h/app/s10", liveapi.StatusOffline),
		mk("d", "relay", "rtmp://h/app/s1", liveapi.StatusExited),
		{ID: "e", Status: liveapi.StatusOffline, ExitReason: "OverEndTime", Spec: liveapi.Spec{TaskName: "relay", DstURL: "rtmp://h/app/s1"}},
	}
	ids := func(ts []liveapi.Task) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	cases := []struct {
		f      liveapi.ListFilter
		status string
		want   []string
	}{
		{liveapi.ListFilter{}, "", []string{"a", "b", "c"}},
		{liveapi.ListFilter{TaskName: "relay"}, "", []string{"b", "c"}},
		{liveapi.ListFilter{DstURL: "rtmp://h/app/s1"}, "", []string{"a", "c"}},
		{liveapi.ListFilter{TaskName: "relay", DstURL: "rtmp://h/app/s1"}, "", []string{"c"}},
		{liveapi.ListFilter{}, "offline", []string{"b"}},
		{liveapi.ListFilter{}, "recovering", []string{}},
	}
	for _, c := range cases {
		if got := ids(filterTasks(tasks, c.f, c.status)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("filterTasks(%+v, %q) = %v, want %v", c.f, c.status, got, c.want)
		}
	}
}
