import { PageTitle, Section } from '../components/common';
import { TrainingsUnavailable } from '../components/TrainingsPanel';

export default function TrainingsView() {
  return (
    <>
      <PageTitle title="Formations">Formations</PageTitle>
      <Section title="Catalogue et inscriptions" id="catalogue">
        <TrainingsUnavailable />
      </Section>
    </>
  );
}
