package session

import (
	"slices"
	"time"
)

// WorkView is an item's group work as one caller sees it.
type WorkView struct {
	Item      string     `json:"item"`
	Placement string     `json:"placement"`
	Private   bool       `json:"private"`
	Dots      int        `json:"dots"`
	Running   bool       `json:"running"`
	Started   time.Time  `json:"started"`
	Ended     *time.Time `json:"ended,omitempty"`
	Groups    []TeamView `json:"groups"`
	// Mine is the caller's group: a participant's, or a scribe's own.
	Mine     string      `json:"mine,omitempty"`
	Messages []Broadcast `json:"messages"`
}

// TeamView is one group's part in a group work. Everyone sees its size;
// its members, reporter, summary, picks, help call and video room are for
// the facilitators, its members and scribe (everyone in a live work), and
// once the work has ended everyone sees its reporter and summary.
type TeamView struct {
	Group    string   `json:"group"`
	Size     int      `json:"size"`
	Members  []string `json:"members,omitempty"` // participant ids, sorted
	Reporter string   `json:"reporter,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Picked   []string `json:"picked,omitempty"`
	Help     bool     `json:"help,omitempty"`
	Video    string   `json:"video,omitempty"`
}

// seesTeam is GroupWork.seesTeam for a view, which knows its own group.
func (w *WorkView) seesTeam(me Who, group string) bool {
	return me.Role == RoleFacilitator || !w.Private || w.Mine != "" && w.Mine == group
}

func (w *WorkView) team(group string) *TeamView {
	for i := range w.Groups {
		if w.Groups[i].Group == group {
			return &w.Groups[i]
		}
	}
	return nil
}

func (v *View) work(item string) *WorkView {
	for i := range v.Work {
		if v.Work[i].Item == item {
			return &v.Work[i]
		}
	}
	return nil
}

// inGroup says whether the caller is in a group in an item's group work:
// an author who moved on gets their idea in the old group back, but keeps
// it only while in that group.
func (v *View) inGroup(item, group string) bool {
	w := v.work(item)
	return w != nil && w.Mine == group
}

// runningWork is the view's group work in progress, or nil.
func (v *View) runningWork() *WorkView {
	for i := range v.Work {
		if v.Work[i].Running {
			return &v.Work[i]
		}
	}
	return nil
}

// mineIn is who's group in a work: a participant's or a scribe's.
func (w *GroupWork) mineIn(who Who) string {
	switch who.Role {
	case RoleParticipant:
		return w.Members[who.ID]
	case RoleScribe:
		if slices.Contains(w.Groups, who.ID) {
			return who.ID
		}
	}
	return ""
}

// workViews is the table's group works as who sees them.
func (t *Table) workViews(who Who) []WorkView {
	if len(t.Works) == 0 {
		return nil
	}
	out := make([]WorkView, 0, len(t.Works))
	for _, w := range t.Works {
		wv := WorkView{Item: w.Item, Placement: w.Placement, Private: w.Private, Dots: w.Dots, Running: w.Running,
			Started: w.Started, Groups: make([]TeamView, 0, len(w.Groups)), Mine: w.mineIn(who),
			Messages: slices.Clone(w.Messages)}
		if wv.Messages == nil {
			wv.Messages = []Broadcast{}
		}
		if !w.Running {
			ended := w.Ended
			wv.Ended = &ended
		}
		for _, g := range w.Groups {
			tm := w.Teams[g]
			tv := TeamView{Group: g, Size: w.size(g)}
			if wv.seesTeam(who, g) {
				// Who is in which group matters while the work runs;
				// afterwards the minutes keep the record.
				if w.Running || who.Role == RoleFacilitator {
					tv.Members = []string{}
					for p, pg := range w.Members {
						if pg == g {
							tv.Members = append(tv.Members, p)
						}
					}
					slices.Sort(tv.Members)
				}
				tv.Reporter, tv.Summary, tv.Picked, tv.Help, tv.Video = tm.Reporter, tm.Summary, slices.Clone(tm.Picked), tm.Help, tm.Video
			} else if !w.Running {
				tv.Reporter, tv.Summary = tm.Reporter, tm.Summary
			}
			wv.Groups = append(wv.Groups, tv)
		}
		out = append(out, wv)
	}
	return out
}

// seesIdea says whether who sees an idea made inside a group: everyone in
// a live work; in a private one the facilitators, the group's members and
// its scribe.
func (t *Table) seesIdea(who Who, i *Idea) bool {
	if !i.Private || who.Role == RoleFacilitator {
		return true
	}
	w := t.workOf(i.Item)
	return w != nil && w.mineIn(who) == i.Group
}

// namedAnywhere says whether some view other than the facilitators' names
// a participant: the public content's, or a group's (as an author of one
// of its ideas, or as a member while group work runs). A new name of such
// a participant goes to everyone, and each view keeps it only if it names
// them: simpler than following every view, at the cost of the new name
// travelling to views that drop it at once.
func (t *Table) namedAnywhere(id string) bool {
	if t.publicRefs(Who{Role: RoleScreen})[id] {
		return true
	}
	if w := t.running(); w != nil && w.Members[id] != "" {
		return true
	}
	for _, iid := range t.IdeaOrder {
		if i := t.Ideas[iid]; i.Author == id && i.Private && !i.Anonymous && !i.Hidden {
			return true
		}
	}
	return false
}

// groupMates are the participants whose names a view other than the
// facilitator's holds because they are in the caller's group in the
// running group work. (In a live work everyone sees every group's ideas,
// with their authors, but members' names only of their own group.)
func (t *Table) groupMates(who Who) map[string]bool {
	r := map[string]bool{}
	w := t.running()
	if w == nil {
		return r
	}
	mine := w.mineIn(who)
	if mine == "" {
		return r
	}
	for p, g := range w.Members {
		if g == mine {
			r[p] = true
		}
	}
	return r
}

// Regroup returns the group whose content who receives once e has been
// applied, given the group current before it: the live runtime keeps each
// connection's group up to date with it, in the order of the events.
func Regroup(e Event, who Who, current string) string {
	switch d := e.Data.(type) {
	case *GroupsStarted:
		switch who.Role {
		case RoleParticipant:
			return d.Members[who.ID]
		case RoleScribe:
			if slices.Contains(d.Groups, who.ID) {
				return who.ID
			}
		}
		return ""
	case *GroupsEnded:
		return ""
	case *GroupMoved:
		if who.Role == RoleParticipant && who.ID == d.Participant {
			return d.To
		}
	case *ParticipantRemoved:
		if who.Role == RoleParticipant && who.ID == d.Participant {
			return ""
		}
	case *ParticipantForgotten:
		if who.Role == RoleParticipant && who.ID == d.Participant {
			return ""
		}
	}
	return current
}

// Progress is how many ideas each group of the running group work has
// made (hidden ones not counted): what everyone may know of the groups'
// progress, without their content. Nil when no group work runs.
func (t *Table) Progress() map[string]int {
	w := t.running()
	if w == nil {
		return nil
	}
	out := make(map[string]int, len(w.Groups))
	for _, g := range w.Groups {
		out[g] = 0
	}
	for _, id := range t.IdeaOrder {
		if i := t.Ideas[id]; i.InGroup && i.Item == w.Item && !i.Hidden && i.MergedInto == "" {
			out[i.Group]++
		}
	}
	return out
}
