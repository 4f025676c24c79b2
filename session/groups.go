package session

// AddGroup creates a room group with its own scribe link, for a table of
// people in the room without devices.
type AddGroup struct {
	base
	Name string `json:"name"`
}

// GroupAdded records a new room group.
type GroupAdded struct {
	Group       Group  `json:"group"`
	ScribeToken string `json:"scribeToken,omitempty"` // for facilitators only
}

func (*GroupAdded) eventType() string { return "group.added" }

func (c *AddGroup) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	name, err := cleanText("name", c.Name, MaxGroupName, true, false)
	if err != nil {
		return nil, err
	}
	rooms := 0
	for _, g := range t.Groups {
		if !g.Online {
			rooms++
		}
	}
	if rooms >= MaxGroups || len(t.Groups) >= MaxAllGroups {
		return nil, errf(KindLimit, CodeTooMany, "at most %d room groups", MaxGroups)
	}
	g := Group{ID: env.NewID(), Name: name}
	return &GroupAdded{Group: g, ScribeToken: t.ScribeToken(g.ID)}, nil
}

func (d *GroupAdded) apply(t *Table, e *Event) {
	if t.group(d.Group.ID) == nil {
		g := d.Group
		t.Groups = append(t.Groups, &g)
	}
}

// project: only facilitators get the scribe token, the group's credential.
func (d *GroupAdded) project(aud Audience) EventData {
	if aud != AudienceFacilitator && d.ScribeToken != "" {
		c := *d
		c.ScribeToken = ""
		return &c
	}
	return d
}

// selfActor: the group's scribe does not exist yet when it is added.
func (*GroupAdded) selfActor() string { return "" }

// fold appends the room group; facilitators also keep its scribe token,
// which project gives only to them.
func (d *GroupAdded) fold(v *View, seq int64, me Who) {
	if v.group(d.Group.ID) != nil {
		return
	}
	g := GroupView{ID: d.Group.ID, Name: d.Group.Name, Removed: d.Group.Removed}
	if me.Role == RoleFacilitator && !g.Removed {
		g.ScribeToken = d.ScribeToken
	}
	v.Groups = append(v.Groups, g)
}

// RenameGroup renames a room group; its ideas and dots keep the new name everywhere.
type RenameGroup struct {
	base
	Group string `json:"group"`
	Name  string `json:"name"`
}

// GroupRenamed records a group's new name.
type GroupRenamed struct {
	Group string `json:"group"`
	Name  string `json:"name"`
}

func (*GroupRenamed) eventType() string { return "group.renamed" }

func (c *RenameGroup) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	g := t.group(c.Group)
	if g == nil || g.Removed {
		return nil, errf(KindNotFound, CodeNoGroup, "no such room group")
	}
	name, err := cleanText("name", c.Name, MaxGroupName, true, false)
	if err != nil {
		return nil, err
	}
	if name == g.Name {
		return nil, errf(KindInvalid, CodeNoChange, "the name did not change")
	}
	return &GroupRenamed{Group: g.ID, Name: name}, nil
}

func (d *GroupRenamed) apply(t *Table, e *Event) {
	if g := t.group(d.Group); g != nil {
		g.Name = d.Name
	}
}

// project: a group's name labels its ideas and dots for everyone.
func (d *GroupRenamed) project(Audience) EventData { return d }
func (*GroupRenamed) selfActor() string            { return "" }

func (d *GroupRenamed) fold(v *View, seq int64, me Who) {
	if g := v.group(d.Group); g != nil {
		g.Name = d.Name
	}
}

// RemoveGroup ends a room group's scribe link. What the group entered stays,
// labelled with its name.
type RemoveGroup struct {
	base
	Group string `json:"group"`
}

// GroupRemoved records a removed group.
type GroupRemoved struct {
	Group string `json:"group"`
}

func (*GroupRemoved) eventType() string { return "group.removed" }

func (c *RemoveGroup) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	g := t.group(c.Group)
	if g == nil || g.Removed {
		return nil, errf(KindNotFound, CodeNoGroup, "no such room group")
	}
	return &GroupRemoved{Group: g.ID}, nil
}

func (d *GroupRemoved) apply(t *Table, e *Event) {
	if g := t.group(d.Group); g != nil {
		g.Removed = true
	}
}

// project: everyone sees that the group is gone.
func (d *GroupRemoved) project(Audience) EventData { return d }
func (*GroupRemoved) selfActor() string            { return "" }

// fold marks the group removed; its scribe token is no longer valid.
func (d *GroupRemoved) fold(v *View, seq int64, me Who) {
	if g := v.group(d.Group); g != nil {
		g.Removed, g.ScribeToken = true, ""
	}
}
