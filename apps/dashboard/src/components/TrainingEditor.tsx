import { FormEvent, useState } from 'react';
import { useCommand } from '../lib/command';
import { CodeSelect, Outcome } from './common';
import { label, PROFESSION, TRAINING_CANCELLATION_REASON, TRAINING_FORMAT, TRAINING_THEME } from '../lib/labels';
import type {
  CancelTrainingMutation,
  CancelTrainingVariables,
  CatalogueQuery,
  TrainingAudience,
  TrainingCancellationReason,
  TrainingFormat,
  TrainingTheme,
  UpdateTrainingMutation,
  UpdateTrainingVariables,
} from '../generated/graphql';

type Training = CatalogueQuery['trainings'][number];
type SessionRow = { key: string; id: string | null; date: string; startTime: string; endTime: string; place: string | null; capacity: number; hours: number | null };

const UPDATE = `mutation UpdateTraining($input: UpdateTrainingInput!) { updateTraining(input: $input) { id title status updatedOn } }`;
const CANCEL = `mutation CancelTraining($input: CancelTrainingInput!) { cancelTraining(input: $input) { id status cancelledOn cancellationReason } }`;

/**
 * The organisers' tools on a published training: edit it (the whole programme: sessions kept, moved,
 * added or removed) and cancel it. The people registered or waiting are told by the platform; the
 * service checks every rule (a held session stays as it was, a capacity never below the seats taken…).
 */
/** `onChanged` receives the sentence that says what was done (shown by the page: a cancelled training leaves the organisers' list). */
export function TrainingEditor({ training, today, onChanged }: { training: Training; today: string; onChanged: (done: string) => void }) {
  const [updated, update] = useCommand<UpdateTrainingMutation, UpdateTrainingVariables>(UPDATE);
  const [cancelled, cancel] = useCommand<CancelTrainingMutation, CancelTrainingVariables>(CANCEL);
  const [rows, setRows] = useState<SessionRow[]>(() => training.sessions.map((s) => ({ key: s.id, ...s, hours: s.hours })));
  const [added, setAdded] = useState(0);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const format = text('format') as TrainingFormat;
    const sessions = rows.map((row) => {
      const startTime = text(`start-${row.key}`);
      const endTime = text(`end-${row.key}`);
      // Hours credited stay as they were while the times do; otherwise the service counts the session's length.
      const sameTimes = row.id !== null && startTime === row.startTime && endTime === row.endTime;
      return {
        id: row.id,
        date: text(`date-${row.key}`),
        startTime,
        endTime,
        place: format === 'IN_PERSON' ? text(`place-${row.key}`) : null,
        capacity: Number(text(`capacity-${row.key}`)),
        ...(sameTimes && row.hours !== null ? { hours: row.hours } : {}),
      };
    });
    const answer = await update({
      input: {
        trainingId: training.id,
        title: text('title'),
        theme: text('theme') as TrainingTheme,
        audience: f.getAll('audience').map(String) as TrainingAudience[],
        format,
        registrationClosesOn: text('closesOn'),
        sessions,
      },
    });
    if (answer.data) onChanged(`« ${answer.data.updateTraining.title} » est modifiée : les inscrits et la liste d’attente en sont avertis.`);
  };

  const onCancel = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason')) as TrainingCancellationReason;
    if (!window.confirm(`Annuler « ${training.title} » ? Toutes les inscriptions seront annulées et les inscrits avertis.`)) return;
    const answer = await cancel({ input: { trainingId: training.id, reason } });
    if (answer.data) onChanged(`« ${training.title} » est annulée : ses inscriptions sont annulées et les inscrits avertis.`);
  };

  return (
    <div className="training-editor" data-testid={`training-editor-${training.id}`}>
      <form onSubmit={submit} className="form-grid" aria-label={`Modifier « ${training.title} »`}>
        <label>
          Titre
          <input name="title" defaultValue={training.title} required />
        </label>
        <label>
          Thème
          <CodeSelect name="theme" labels={TRAINING_THEME} defaultValue={training.theme} />
        </label>
        <label>
          Format
          <CodeSelect name="format" labels={TRAINING_FORMAT} defaultValue={training.format} />
        </label>
        <fieldset>
          <legend>Pour</legend>
          {['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'].map((p) => (
            <label key={p} className="check-line">
              <input type="checkbox" name="audience" value={p} defaultChecked={training.audience.includes(p as TrainingAudience)} />
              {label(PROFESSION, p)}
            </label>
          ))}
        </fieldset>
        <label>
          Inscriptions jusqu’au
          <input type="date" name="closesOn" defaultValue={training.registrationClosesOn} required />
        </label>
        <fieldset className="sessions">
          <legend>Sessions</legend>
          {rows.map((row, index) => (
            <div key={row.key} className="session-row" data-testid="session-row">
              <label>
                Date
                <input type="date" name={`date-${row.key}`} defaultValue={row.date} min={row.date < today ? undefined : today} required />
              </label>
              <label>
                Début
                <input type="time" name={`start-${row.key}`} defaultValue={row.startTime} required />
              </label>
              <label>
                Fin
                <input type="time" name={`end-${row.key}`} defaultValue={row.endTime} required />
              </label>
              <label>
                Lieu (présentiel)
                <input name={`place-${row.key}`} defaultValue={row.place ?? ''} />
              </label>
              <label>
                Places
                <input type="number" name={`capacity-${row.key}`} defaultValue={row.capacity} min={1} max={2000} required />
              </label>
              {rows.length > 1 && (
                <button type="button" className="secondary" onClick={() => setRows(rows.filter((_, other) => other !== index))}>
                  Retirer la session
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const last = rows[rows.length - 1];
              setRows([...rows, { key: `new-${added}`, id: null, date: last?.date ?? today, startTime: '09:00', endTime: '12:00', place: last?.place ?? '', capacity: last?.capacity ?? 12, hours: null }]);
              setAdded(added + 1);
            }}
          >
            Ajouter une session
          </button>
        </fieldset>
        <div className="form-actions">
          <button type="submit" disabled={updated.fetching}>
            Enregistrer les modifications
          </button>
        </div>
      </form>
      <form onSubmit={onCancel} className="form-grid" aria-label={`Annuler « ${training.title} »`}>
        <label>
          Motif d’annulation
          <CodeSelect name="reason" labels={TRAINING_CANCELLATION_REASON} defaultValue="TOO_FEW_REGISTRATIONS" />
        </label>
        <div className="form-actions">
          <button type="submit" className="danger" disabled={cancelled.fetching}>
            Annuler la formation
          </button>
        </div>
      </form>
      <Outcome error={updated.error ?? cancelled.error} />
    </div>
  );
}
