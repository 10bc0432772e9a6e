// A USB camera's controls (V4L2, through get_camera_controls / set_camera_control) for operators: sliders for
// integers, a switch for booleans, a list for menus. Every change is sent at once and the panel shows the value
// the camera read back; controls that are read-only or inactive (e.g. white balance while it is automatic) are
// shown disabled with the reason.

import { el, showError } from './ui.js';

export async function renderControls(ctx, device, box) {
  const list = await ctx.rpc.call('get_camera_controls', { device });
  const rows = list.controls.filter((c) => ['integer', 'boolean', 'menu'].includes(c.type));
  if (rows.length === 0) {
    box.replaceChildren(el('p', { class: 'hint' }, 'This camera has no adjustable controls.'));
    return;
  }
  box.replaceChildren(el('form', { class: 'controls-form', onsubmit: (e) => e.preventDefault() }, ...rows.map((c) => row(ctx, device, c, box))));
}

function row(ctx, device, control, box) {
  const id = `ctl-${device}-${control.name}`;
  const disabled = control.read_only || control.inactive;
  const why = control.read_only ? 'read-only' : control.inactive ? 'inactive while an automatic mode is on' : '';
  const output = el('output', { for: id, class: 'control-value' }, String(control.value ?? ''));
  let input;
  if (control.type === 'boolean') {
    input = el('input', { id, type: 'checkbox', disabled, dataset: { control: control.name } });
    input.checked = Boolean(control.value);
  } else if (control.type === 'menu') {
    input = el('select', { id, disabled, dataset: { control: control.name } },
      ...(control.menu || []).map((m) => el('option', { value: String(m.index) }, m.name ?? String(m.value ?? m.index))));
    input.value = String(control.value);
  } else {
    input = el('input', { id, type: 'range', min: control.min, max: control.max, step: control.step || 1, disabled, dataset: { control: control.name } });
    input.value = String(control.value ?? control.default);
    input.addEventListener('input', () => { output.textContent = input.value; });
  }
  input.addEventListener('change', async () => {
    const value = control.type === 'boolean' ? input.checked : Number(input.value);
    try {
      const result = await ctx.rpc.call('set_camera_control', { device, control: control.name, value });
      output.textContent = String(result.control?.value ?? value);
      // Other controls may have become active or inactive (automatic modes): read them again.
      await renderControls(ctx, device, box);
    } catch (error) {
      showError(`Could not set ${control.label}`, error);
      await renderControls(ctx, device, box);
    }
  });
  return el('div', { class: 'ctl-row', dataset: { name: control.name } },
    el('label', { for: id }, control.label, why ? el('span', { class: 'hint' }, ` (${why})`) : null),
    input, control.type === 'boolean' || control.type === 'menu' ? null : output);
}
