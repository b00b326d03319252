/**
 * The editor side of the "Tencent CI" sidebar tab, the plugin `tencent-ci-sidebar` (its runtime
 * side: ../../sidebar.ts). A plain script (no module system), type-checked by
 * tsconfig.sidebar.json and put into dist/tencent-ci-sidebar.html by ../sidebar-assets.ts.
 *
 * Per config node, the jobs this Node-RED's nodes wait for and the last finished ones: tag,
 * state, progress, elapsed time, the node (click: RED.view.reveal) and the result at a
 * glance (score, top tags, targets found, Snapshot thumbnails). A click on a row shows the
 * JobsDetail in Node-RED's JSON viewer; buttons copy the JobId and cancel a job in flight.
 *
 * The list is fetched once when the tab is first shown (GET tencent-ci/jobs), then kept up
 * to date from the comms deltas on `tencent-ci/jobs/<configId>`; a reconnect or a missed
 * delta (its seq is not the next one) fetches the list again. Thumbnails come through the
 * runtime (GET tencent-ci/object/<configId>?key=…) with the editor's own authorisation, so
 * the browser never holds a bucket key.
 */

type JobRow = import('../../tracking/board-wire').JobRow;
type BoardDelta = import('../../tracking/board-wire').BoardDelta;
type JobsAnswer = import('../../tracking/board-wire').JobsAnswer;
type ErrorAnswer = import('../../tracking/board-wire').ErrorAnswer;
type Glance = import('../../tracking/board-wire').Glance;
type TargetKind = import('../../tracking/board-wire').TargetKind;

type PublishedRED = import('@node-red/editor-client').RED;
type EditorNode = Parameters<PublishedRED['utils']['getNodeLabel']>[0];

/** What this tab uses of Node-RED's editor beyond the published types (Node-RED 4's red.js). */
interface SidebarRED {
  comms: PublishedRED['comms'] & { on(event: 'connect', listener: () => void): void };
  sidebar: {
    addTab(tab: {
      id: string;
      label: string;
      name: string;
      iconClass: string;
      content: JQuery;
      enableOnEdit?: boolean;
      action?: string;
      onchange?: () => void;
    }): void;
    show(id: string): void;
  };
  nodes: { node(id: string): EditorNode | undefined | null; eachConfig(cb: (node: EditorNode & { type: string; id: string }) => boolean | void): void };
  notify(message: string | JQuery, options: Record<string, unknown> | string): { close(): void };
  popover: { tooltip(target: JQuery, content: string | (() => string)): unknown };
  /** The published type says HTMLElement; Node-RED anchors its "copied" popover to a jQuery element, as its own calls pass. */
  clipboard: { copyText(value: string, element: JQuery, message: string): boolean };
}

declare const RED: Omit<PublishedRED, 'comms' | 'sidebar' | 'nodes' | 'notify' | 'popover' | 'clipboard'> & SidebarRED;

(function () {
  const TAB = 'tencent-ci';
  /** The plugin's message catalog (Node-RED names a plugin's namespace `<module>/<plugin>`). */
  const NS = '@node-red-tencent-ci/config/tencent-ci-sidebar';
  const CONFIG_TYPE = 'tencent-ci-config';
  const TARGETS: TargetKind[] = ['body', 'pet', 'car', 'face', 'plate'];

  const t = (key: string, subs?: Record<string, unknown>): string => RED._(`${NS}:sidebar.${key}`, subs as never);

  interface RowView {
    el: JQuery;
    summary: JQuery;
    detail: JQuery;
    /** The row as last drawn (JSON), to redraw only what changed. */
    drawn: string;
    open: boolean;
  }

  interface ConfigModel {
    seq: number;
    rows: Map<string, JobRow>;
  }

  const model = new Map<string, ConfigModel>();
  const views = new Map<string, RowView>();
  /** Thumbnails fetched, by config node and key: object URLs of their blobs. */
  const thumbnails = new Map<string, string>();
  let recent = 50;
  let loaded = false;
  let loading = false;
  /** Deltas that came while the list was being fetched. */
  let pending: Array<[string, BoardDelta]> = [];

  let content: JQuery;
  let list: JQuery;
  let summary: JQuery;

  const viewKey = (configId: string, jobId: string) => `${configId}\n${jobId}`;
  const isInFlight = (row: JobRow) => row.endedAt === undefined;

  // ---- talking to the runtime -----------------------------------------------------------

  function errorText(xhr: JQuery.jqXHR): string {
    const body = xhr.responseJSON as Partial<ErrorAnswer> | undefined;
    return body && body.message ? `${body.code ? body.code + ': ' : ''}${body.message}` : `HTTP ${xhr.status}`;
  }

  function fetchList(): void {
    if (loading) return;
    loading = true;
    pending = [];
    $.ajax({ url: 'tencent-ci/jobs', dataType: 'json', cache: false })
      .done((answer: JobsAnswer) => {
        recent = answer.recent;
        model.clear();
        for (const config of answer.configs) model.set(config.configId, { seq: config.seq, rows: new Map(config.rows.map((r) => [r.jobId, r])) });
        loaded = true;
        loading = false;
        const later = pending;
        pending = [];
        for (const [configId, delta] of later) apply(configId, delta);
        renderAll();
      })
      .fail((xhr: JQuery.jqXHR) => {
        loading = false;
        list.empty().append($('<div class="tci-jobs-empty tci-jobs-error"></div>').text(t('loadFailed', { message: errorText(xhr) })));
      });
  }

  /** A delta from the runtime: applied if it is the next one, else the list is fetched again. */
  function onDelta(topic: string, delta: BoardDelta): void {
    const configId = topic.slice('tencent-ci/jobs/'.length);
    if (loading) {
      pending.push([configId, delta]);
      return;
    }
    if (!loaded) return;
    if (apply(configId, delta)) renderConfig(configId);
  }

  /** Applies a delta to the model; answers whether it changed anything. A gap in seq means deltas were missed: fetch again. */
  function apply(configId: string, delta: BoardDelta): boolean {
    let config = model.get(configId);
    if (!config) {
      config = { seq: 0, rows: new Map() };
      model.set(configId, config);
    }
    if (delta.seq <= config.seq) return false; // already in the list
    if (delta.seq !== config.seq + 1) {
      fetchList();
      return false;
    }
    config.seq = delta.seq;
    for (const row of delta.rows) config.rows.set(row.jobId, row);
    for (const jobId of delta.removed) config.rows.delete(jobId);
    return true;
  }

  // ---- drawing ----------------------------------------------------------------------------

  function configLabel(configId: string): string {
    const node = RED.nodes.node(configId);
    return node ? RED.utils.getNodeLabel(node, configId) : t('unknownConfig', { id: configId });
  }

  /** The config nodes to show: those of the flows, then any other the runtime lists jobs for. */
  function configIds(): string[] {
    const ids: string[] = [];
    RED.nodes.eachConfig((node) => {
      if (node.type === CONFIG_TYPE) ids.push(node.id);
      return true;
    });
    for (const [id, config] of model) if (!ids.includes(id) && config.rows.size > 0) ids.push(id);
    return ids;
  }

  function ordered(config: ConfigModel | undefined): JobRow[] {
    const rows = config ? [...config.rows.values()] : [];
    const inFlight = rows.filter(isInFlight).sort((a, b) => b.startedAt - a.startedAt);
    const finished = rows.filter((r) => !isInFlight(r)).sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    return [...inFlight, ...finished];
  }

  function renderAll(): void {
    if (!list) return;
    list.empty();
    const ids = configIds();
    if (ids.length === 0) list.append($('<div class="tci-jobs-empty"></div>').text(t('noConfig')));
    for (const id of ids) {
      const section = $('<div class="tci-jobs-config"></div>').attr('data-config-id', id).appendTo(list);
      const header = $('<div class="tci-jobs-config-header"></div>').appendTo(section);
      $('<i class="fa fa-archive"></i>').appendTo(header);
      $('<span class="tci-jobs-config-label"></span>').text(configLabel(id)).attr('title', configLabel(id)).appendTo(header);
      $('<span class="tci-jobs-config-counts"></span>').appendTo(header);
      $('<div class="tci-jobs-rows"></div>').appendTo(section);
      renderConfig(id);
    }
    $('<div class="tci-jobs-note"></div>')
      .text(t('recentNote', { count: recent }))
      .appendTo(list);
  }

  function renderConfig(configId: string): void {
    let section = list.children('.tci-jobs-config').filter((_i, el) => $(el).attr('data-config-id') === configId);
    if (section.length === 0) {
      renderAll();
      return;
    }
    section = section.first();
    const rowsEl = section.children('.tci-jobs-rows');
    const rows = ordered(model.get(configId));
    const keep = new Set<string>();
    for (const row of rows) {
      const key = viewKey(configId, row.jobId);
      keep.add(key);
      let view = views.get(key);
      if (!view) {
        view = createRow(configId, row.jobId);
        views.set(key, view);
      }
      const drawn = JSON.stringify(row);
      if (drawn !== view.drawn) {
        const wasInFlight = view.drawn !== '' && isInFlight(JSON.parse(view.drawn) as JobRow);
        view.drawn = drawn;
        drawSummary(configId, row, view);
        if (view.open && wasInFlight && !isInFlight(row)) loadDetail(configId, row.jobId, view);
      }
      rowsEl.append(view.el); // (re)placed in order
    }
    for (const [key, view] of [...views]) {
      if (key.startsWith(`${configId}\n`) && !keep.has(key)) {
        view.el.remove();
        views.delete(key);
        forgetThumbnails(configId, view);
      }
    }
    if (rows.length === 0) rowsEl.empty().append($('<div class="tci-jobs-empty"></div>').text(t('empty')));
    else rowsEl.children('.tci-jobs-empty').remove();
    const inFlight = rows.filter(isInFlight).length;
    section.find('.tci-jobs-config-counts').text(t('counts', { inFlight, finished: rows.length - inFlight }));
    updateSummary();
  }

  function updateSummary(): void {
    let inFlight = 0;
    let finished = 0;
    for (const config of model.values()) {
      for (const row of config.rows.values()) {
        if (isInFlight(row)) inFlight += 1;
        else finished += 1;
      }
    }
    summary.text(loaded ? t('counts', { inFlight, finished }) : '');
  }

  function createRow(configId: string, jobId: string): RowView {
    const el = $('<div class="tci-job"></div>').attr({ 'data-job-id': jobId, 'data-config-id': configId });
    const summaryEl = $('<div class="tci-job-summary"></div>').appendTo(el);
    const detail = $('<div class="tci-job-detail"></div>').hide().appendTo(el);
    const view: RowView = { el, summary: summaryEl, detail, drawn: '', open: false };
    summaryEl.on('click', (evt) => {
      if ($(evt.target).closest('button, a, img').length > 0) return;
      view.open = !view.open;
      el.toggleClass('tci-job-open', view.open);
      if (view.open) loadDetail(configId, jobId, view);
      else detail.hide().empty();
    });
    return view;
  }

  /** The state as a user reads it, and the colour of its dot. */
  function stateOf(row: JobRow): { text: string; colour: string } {
    if (row.end) return { text: t(`end.${row.end}`), colour: row.end === 'timeout' ? 'yellow' : row.end === 'error' ? 'red' : 'grey' };
    switch (row.state) {
      case 'Success':
        return { text: t('state.Success'), colour: 'green' };
      case 'Failed':
        return { text: t('state.Failed'), colour: 'red' };
      case 'Cancel':
        return { text: t('state.Cancel'), colour: 'grey' };
      case 'Running':
        return { text: t('state.Running'), colour: 'blue' };
      case 'Submitted':
        return { text: t('state.Submitted'), colour: 'grey-ring' };
      case 'Pause':
        return { text: t('state.Pause'), colour: 'yellow' };
      default:
        return { text: t('state.waiting'), colour: 'blue-ring' };
    }
  }

  function elapsedText(ms: number): string {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return t('elapsed.s', { s });
    if (s < 3600) return t('elapsed.ms', { m: Math.floor(s / 60), s: s % 60 });
    return t('elapsed.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  }

  function drawSummary(configId: string, row: JobRow, view: RowView): void {
    const el = view.summary.empty();
    const inFlight = isInFlight(row);
    view.el.toggleClass('tci-job-in-flight', inFlight).attr('data-state', row.end ?? row.state ?? '');
    const head = $('<div class="tci-job-head"></div>').appendTo(el);
    $('<span class="tci-job-tag"></span>')
      .text(row.tag ?? t('unknownTag'))
      .appendTo(head);
    const state = stateOf(row);
    const stateEl = $('<span class="tci-job-state"></span>').appendTo(head);
    $('<span class="tci-dot"></span>').addClass(`tci-dot-${state.colour}`).appendTo(stateEl);
    $('<span class="tci-job-state-text"></span>').text(state.text).appendTo(stateEl);
    if (row.progress !== undefined && inFlight)
      $('<span class="tci-job-progress"></span>')
        .text(t('progress', { progress: Math.round(row.progress) }))
        .appendTo(stateEl);
    const elapsed = $('<span class="tci-job-elapsed"></span>')
      .attr('data-started', String(row.startedAt))
      .text(elapsedText((row.endedAt ?? Date.now()) - row.startedAt))
      .appendTo(head);
    if (!inFlight) elapsed.attr('title', new Date(row.endedAt!).toLocaleString());
    const buttons = $('<span class="tci-job-buttons"></span>').appendTo(head);
    const copy = $('<button type="button" class="red-ui-button red-ui-button-small tci-job-copy"><i class="fa fa-clipboard"></i></button>').appendTo(buttons);
    RED.popover.tooltip(copy, t('copy'));
    copy.on('click', (evt) => {
      evt.preventDefault();
      RED.clipboard.copyText(row.jobId, copy, `${NS}:sidebar.copied`);
    });
    if (inFlight) {
      const cancel = $('<button type="button" class="red-ui-button red-ui-button-small tci-job-cancel"><i class="fa fa-stop"></i></button>').appendTo(buttons);
      RED.popover.tooltip(cancel, t('cancel'));
      cancel.on('click', (evt) => {
        evt.preventDefault();
        confirmCancel(configId, row);
      });
    }
    $('<div class="tci-job-id"></div>').text(row.jobId).appendTo(el);
    for (const waiter of row.nodes) {
      const node = RED.nodes.node(waiter.id);
      const label = node ? RED.utils.getNodeLabel(node, waiter.name || waiter.type || waiter.id) : waiter.name || waiter.type || waiter.id;
      const line = $('<div class="tci-job-node"></div>').appendTo(el);
      if (node) {
        const link = $('<a href="#" class="tci-job-reveal"></a>').appendTo(line);
        $('<i class="fa fa-crosshairs"></i>').appendTo(link);
        $('<span></span>').text(` ${label}`).appendTo(link);
        RED.popover.tooltip(link, t('reveal'));
        link.on('click', (evt) => {
          evt.preventDefault();
          RED.view.reveal(waiter.id);
        });
      } else {
        $('<span class="tci-job-node-gone"></span>')
          .text(`${label} (${t('nodeGone')})`)
          .appendTo(line);
      }
    }
    if (row.code || row.message) {
      $('<div class="tci-job-message"></div>').text([row.code, row.message].filter(Boolean).join(': ')).appendTo(el);
    }
    if (row.glance) drawGlance(configId, row.glance, $('<div class="tci-job-glance"></div>').appendTo(el));
  }

  function drawGlance(configId: string, glance: Glance, el: JQuery): void {
    switch (glance.kind) {
      case 'score': {
        const n = Number(glance.score);
        $('<span class="tci-glance-score"></span>')
          .text(t('glance.score', { score: Number.isFinite(n) ? n.toFixed(1) : glance.score }))
          .attr('title', glance.score)
          .appendTo(el);
        break;
      }
      case 'tags':
        for (const tag of glance.tags) {
          const chip = $('<span class="tci-chip"></span>').text(tag.name).appendTo(el);
          if (tag.confidence !== undefined) $('<small></small>').text(` ${tag.confidence}`).appendTo(chip);
        }
        break;
      case 'targets': {
        const found = TARGETS.filter((k) => (glance.counts[k] ?? 0) > 0);
        if (found.length === 0) $('<span class="tci-glance-none"></span>').text(t('glance.nothing')).appendTo(el);
        for (const kind of found)
          $('<span class="tci-chip"></span>')
            .text(t(`glance.targets.${kind}`, { count: glance.counts[kind] }))
            .appendTo(el);
        break;
      }
      case 'images': {
        const frames = $('<div class="tci-thumbs tci-thumbs-frames"></div>').appendTo(el);
        for (const key of glance.frames) thumbnail(configId, key, frames);
        if (glance.frameCount > glance.frames.length)
          $('<span class="tci-thumbs-more"></span>')
            .text(`+${glance.frameCount - glance.frames.length}`)
            .appendTo(frames);
        if (glance.sprites.length > 0) {
          const sprites = $('<div class="tci-thumbs tci-thumbs-sprites"></div>').appendTo(el);
          for (const key of glance.sprites) thumbnail(configId, key, sprites, true);
          if (glance.spriteCount > glance.sprites.length)
            $('<span class="tci-thumbs-more"></span>')
              .text(`+${glance.spriteCount - glance.sprites.length}`)
              .appendTo(sprites);
        }
        $('<div class="tci-glance-counts"></div>')
          .text(t('glance.images', { frames: glance.frameCount, sprites: glance.spriteCount }))
          .appendTo(el);
        break;
      }
    }
  }

  /** An image of an output object, fetched through the runtime with the editor's authorisation (an <img src> would not send it). */
  function thumbnail(configId: string, key: string, into: JQuery, sprite = false): void {
    const img = $('<img class="tci-thumb" alt="">').toggleClass('tci-thumb-sprite', sprite).attr({ 'data-key': key, title: key }).appendTo(into);
    const cacheKey = viewKey(configId, key);
    const cached = thumbnails.get(cacheKey);
    if (cached) {
      img.attr('src', cached);
      return;
    }
    $.ajax({ url: `tencent-ci/object/${encodeURIComponent(configId)}?key=${encodeURIComponent(key)}`, cache: false, xhrFields: { responseType: 'blob' } })
      .done((blob: Blob) => {
        const url = URL.createObjectURL(blob);
        thumbnails.set(cacheKey, url);
        img.attr('src', url);
      })
      .fail((xhr: JQuery.jqXHR) => {
        img.addClass('tci-thumb-failed').attr('title', `${key}: ${t('thumbnailFailed', { status: xhr.status })}`);
      });
  }

  function forgetThumbnails(configId: string, view: RowView): void {
    view.el.find('img.tci-thumb').each((_i, img) => {
      const key = viewKey(configId, String($(img).attr('data-key')));
      const url = thumbnails.get(key);
      if (url) URL.revokeObjectURL(url);
      thumbnails.delete(key);
    });
  }

  function loadDetail(configId: string, jobId: string, view: RowView): void {
    view.detail
      .show()
      .empty()
      .append($('<div class="tci-job-detail-loading"></div>').text(t('loading')));
    $.ajax({ url: `tencent-ci/jobs/${encodeURIComponent(configId)}/${encodeURIComponent(jobId)}`, dataType: 'json', cache: false })
      .done((detail: unknown) => {
        if (!view.open) return;
        view.detail.empty();
        RED.utils.createObjectElement(detail, { key: 'JobsDetail', path: '', rootPath: '', expandPaths: ['Operation.'] }).appendTo(view.detail);
      })
      .fail((xhr: JQuery.jqXHR) => {
        if (!view.open) return;
        view.detail.empty().append($('<div class="tci-job-message"></div>').text(t('detailFailed', { message: errorText(xhr) })));
      });
  }

  function confirmCancel(configId: string, row: JobRow): void {
    const dialog = RED.notify(t('confirmCancel', { jobId: row.jobId, tag: row.tag ?? '?' }), {
      modal: true,
      fixed: true,
      type: 'warning',
      buttons: [
        { text: t('keep'), click: () => dialog.close() },
        {
          text: t('cancelJob'),
          class: 'primary',
          click: () => {
            dialog.close();
            $.ajax({ url: `tencent-ci/jobs/${encodeURIComponent(configId)}/${encodeURIComponent(row.jobId)}/cancel`, type: 'POST', dataType: 'json' })
              .done(() => RED.notify(t('cancelSent', { jobId: row.jobId }), { type: 'success', timeout: 3000 }))
              .fail((xhr: JQuery.jqXHR) => RED.notify(t('cancelFailed', { jobId: row.jobId, message: errorText(xhr) }), { type: 'error' }));
          },
        },
      ],
    });
  }

  /** Elapsed times of the jobs in flight, once a second. */
  function tick(): void {
    const now = Date.now();
    content.find('.tci-job-in-flight .tci-job-elapsed').each((_i, el) => {
      const started = Number($(el).attr('data-started'));
      if (Number.isFinite(started)) $(el).text(elapsedText(now - started));
    });
  }

  function build(): JQuery {
    content = $('<div class="tci-jobs"></div>');
    const header = $('<div class="red-ui-sidebar-header tci-jobs-header"></div>').appendTo(content);
    summary = $('<span class="tci-jobs-summary"></span>').appendTo(header);
    const refresh = $('<button type="button" class="red-ui-sidebar-header-button tci-jobs-refresh"><i class="fa fa-refresh"></i></button>').appendTo(header);
    RED.popover.tooltip(refresh, t('refresh'));
    refresh.on('click', (evt) => {
      evt.preventDefault();
      fetchList();
    });
    list = $('<div class="tci-jobs-list"></div>').appendTo(content);
    list.append($('<div class="tci-jobs-empty"></div>').text(t('loading')));
    return content;
  }

  RED.plugins.registerPlugin('tencent-ci-sidebar', {
    onadd: function () {
      RED.actions.add('tencent-ci:show-jobs-sidebar', () => RED.sidebar.show(TAB));
      RED.sidebar.addTab({
        id: TAB,
        label: t('label'),
        name: t('name'),
        iconClass: 'fa fa-film',
        content: build(),
        enableOnEdit: true,
        action: 'tencent-ci:show-jobs-sidebar',
        onchange: () => {
          if (!loaded) fetchList();
        },
      });
      RED.comms.subscribe('tencent-ci/jobs/#', (topic: string, data: unknown) => onDelta(topic, data as BoardDelta));
      // After a reconnect (a Node-RED restart, a network hiccup) deltas may have been missed.
      RED.comms.on('connect', () => {
        if (loaded) fetchList();
      });
      const redraw = () => {
        if (loaded) renderAll();
      };
      RED.events.on('deploy', redraw);
      RED.events.on('nodes:change', (node: { type?: string }) => {
        if (node && node.type === CONFIG_TYPE) redraw();
      });
      setInterval(tick, 1000);
    },
  });
})();
