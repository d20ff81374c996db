// The 组织机构 view's forms, one per use case: rename (Chinese and English names, code), create a child one level
// down, move under a new parent of the level above (chosen with the shared OrgUnitPicker, as deep as that level),
// delete (disabled with the reason while the unit is not empty). The server checks everything again; its 4xx
// message is shown as it is (it names the field and what is in the way).
import { useState, type FormEvent } from 'react';
import type { OrgUnit } from '../../api/http';
import { devicesApi } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { orgApi } from '../../api/org-api';
import { useI18n } from '../../hooks/use-i18n';
import type { OrgTree } from '../../hooks/use-org-tree';
import { useDurableEvent } from '../../hooks/use-socket';
import type { Message, MessageKey, Params } from '../../i18n';
import { childLevel, moveTargetDepth, nameFields, ORG_NAME_EN_MAX, ORG_NAME_MAX, parentLevel, unitLabel, validName } from '../../lib/org-logic';
import { OrgUnitPicker } from '../common/org-unit-picker';

/** What the last change did: a message kept as data, so it follows a language switch; or the server's error text. */
export type Outcome = { ok: true; message: Message } | { ok: false; text: string };

interface Actions {
  tree: OrgTree;
  onSelect: (id: number) => void;
  onOutcome: (outcome: Outcome) => void;
}

/** Runs a change: busy while it runs, the outcome reported, the tree read again after a success. */
function useChange({ tree, onOutcome }: Actions) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<{ key: MessageKey; params: Params } | void>) => {
    setBusy(true);
    try {
      const done = await work();
      tree.reload();
      if (done) onOutcome({ ok: true, message: done });
    } catch (err) {
      onOutcome({ ok: false, text: describeError(err, t) });
    }
    setBusy(false);
  };
  return { busy, run };
}

const submit = (action: () => void) => (e: FormEvent) => {
  e.preventDefault();
  action();
};

export function RenameForm({ unit, ...actions }: Actions & { unit: OrgUnit }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState(unit.name);
  const [nameEn, setNameEn] = useState(unit.nameEn ?? '');
  const [code, setCode] = useState(unit.code);
  const { busy, run } = useChange(actions);
  const changed = name.trim() !== unit.name || (nameEn.trim() || null) !== unit.nameEn || code.trim() !== unit.code;
  const save = () => run(async () => {
    const body = { ...nameFields(name, nameEn), ...(code.trim() !== unit.code ? { code: code.trim() } : {}) };
    const saved = await orgApi.update(unit.id, body);
    return { key: 'org.saved', params: { name: unitLabel(saved, lang) } };
  });
  return (
    <form className="devices-form org-form" data-testid="org-rename" onSubmit={submit(() => changed && validName(name) && void save())}>
      <label>
        <span>{t('org.field.name')}</span>
        <input data-testid="org-name" value={name} maxLength={ORG_NAME_MAX} onChange={(e) => setName(e.target.value)} />
      </label>
      <label title={t('org.nameEnHint')}>
        <span>{t('org.field.nameEn')}</span>
        <input data-testid="org-name-en" value={nameEn} maxLength={ORG_NAME_EN_MAX} placeholder={t('org.nameEnHint')} onChange={(e) => setNameEn(e.target.value)} />
      </label>
      <label>
        <span>{t('org.field.code')}</span>
        <input data-testid="org-code" value={code} maxLength={32} onChange={(e) => setCode(e.target.value)} />
      </label>
      <button type="submit" className="btn small" data-testid="org-save" disabled={busy || !changed || !validName(name)}>{t('org.save')}</button>
    </form>
  );
}

export function CreateChildForm({ parent, ...actions }: Actions & { parent: OrgUnit }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [code, setCode] = useState('');
  const { busy, run } = useChange(actions);
  const level = childLevel(parent.level);
  if (!level) return <p className="muted small" data-testid="org-no-child">{t('org.noChildLevel')}</p>;
  const create = () => run(async () => {
    const made = await orgApi.create({ parentId: parent.id, ...nameFields(name, nameEn), ...(code.trim() ? { code: code.trim() } : {}) });
    actions.tree.expand([parent.id]);
    actions.onSelect(made.id);
    return { key: 'org.created', params: { name: unitLabel(made, lang) } };
  });
  return (
    <form className="devices-form org-form" data-testid="org-create-form" onSubmit={submit(() => validName(name) && void create())}>
      <strong className="small">{t('org.addChild', { level: t(`level.${level}`) })}</strong>
      <label>
        <span>{t('org.field.name')}</span>
        <input data-testid="org-new-name" value={name} maxLength={ORG_NAME_MAX} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        <span>{t('org.field.nameEn')}</span>
        <input data-testid="org-new-name-en" value={nameEn} maxLength={ORG_NAME_EN_MAX} placeholder={t('org.nameEnHint')} onChange={(e) => setNameEn(e.target.value)} />
      </label>
      <label>
        <span>{t('org.field.code')}</span>
        <input data-testid="org-new-code" value={code} maxLength={32} placeholder={t('org.codeHint')} onChange={(e) => setCode(e.target.value)} />
      </label>
      <button type="submit" className="btn small primary" data-testid="org-create" disabled={busy || !validName(name)}>{t('org.create')}</button>
    </form>
  );
}

export function MoveForm({ unit, root, ...actions }: Actions & { unit: OrgUnit; root: OrgUnit }) {
  const { t, lang } = useI18n();
  const [chain, setChain] = useState<number[]>([]);
  // The picker caches children: read them again whenever the tree changed (here or elsewhere).
  const [version, setVersion] = useState(0);
  useDurableEvent('org:changed', () => setVersion((v) => v + 1));
  const { busy, run } = useChange(actions);
  const depth = moveTargetDepth(unit.level, root.level);
  const wanted = t(`level.${parentLevel(unit.level) ?? 'county'}`);
  if (depth < 1) return <p className="muted small" data-testid="org-move-none">{t('org.moveNone', { level: wanted })}</p>;
  const target = chain.length === depth ? chain[depth - 1] : null;
  const move = (targetId: number) => run(async () => {
    // The target by its name path, so the question says exactly where the unit goes.
    const [path] = await devicesApi.orgPaths([targetId]);
    const targetName = path ? (lang === 'en' ? path.pathEn : path.path) : String(targetId);
    if (!window.confirm(t('org.moveConfirm', { name: unitLabel(unit, lang), target: targetName }))) return;
    await orgApi.move(unit.id, targetId);
    // Reveal the unit in its new place: the root and the new parent's chain open.
    actions.tree.expand([root.id, ...chain]);
    setChain([]);
    return { key: 'org.moved', params: { name: unitLabel(unit, lang), target: targetName } };
  });
  return (
    <form className="devices-form org-form" data-testid="org-move-form" onSubmit={submit(() => target !== null && void move(target))}>
      <strong className="small">{t('org.move')}</strong>
      <OrgUnitPicker testId="org-move-target" value={chain} onChange={setChain} anyLabel={t('org.pick')} depth={depth} version={version} />
      <button type="submit" className="btn small" data-testid="org-move" disabled={busy || target === null || target === unit.parentId}>{t('org.move')}</button>
      <span className="muted small">{t('org.moveHint', { level: wanted })}</span>
    </form>
  );
}

export function DeleteUnit({ unit, blockers, ...actions }: Actions & { unit: OrgUnit; blockers: Array<{ key: MessageKey; params: Params }> }) {
  const { t, lang } = useI18n();
  const { busy, run } = useChange(actions);
  const remove = () => run(async () => {
    if (!window.confirm(t('org.deleteConfirm', { name: unitLabel(unit, lang) }))) return;
    await orgApi.remove(unit.id);
    if (unit.parentId !== null) actions.onSelect(unit.parentId);
    return { key: 'org.deleted', params: { name: unitLabel(unit, lang) } };
  });
  return (
    <div className="devices-form org-form">
      <button type="button" className="btn small danger" data-testid="org-delete" disabled={busy || blockers.length > 0} onClick={() => void remove()}>
        {t('org.delete')}
      </button>
      {blockers.length > 0 && (
        <span className="muted small" data-testid="org-delete-reason">
          {t('org.notEmpty', { reasons: blockers.map((b) => t(b.key, b.params)).join(lang === 'en' ? ', ' : '、') })}
        </span>
      )}
    </div>
  );
}
