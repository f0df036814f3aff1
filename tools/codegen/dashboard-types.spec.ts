import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from './dashboard-types';

const schema = `
  enum Status { OPEN CLOSED }
  input PageInput { first: Int after: String }
  type Team { id: ID! name: String! status: Status! openedOn: String members: [Member!]! }
  type Member { professionalId: ID! since: String }
  type Query { team(id: ID!): Team teams(page: PageInput): [Team!]! }
  type Mutation { closeTeam(id: ID!, on: String!): Team! }
`;

describe('the dashboard types generator', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cnrms-codegen-'));
    mkdirSync(path.join(dir, 'pages'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const source = (text: string) => writeFileSync(path.join(dir, 'pages', 'Team.tsx'), text);

  it('types a named query and its variables from the schema, with the constants it interpolates', () => {
    source(
      [
        "const MEMBER_FIELDS = 'professionalId since';",
        'const TEAM = `query Team($id: ID!) { team(id: $id) { id name status openedOn members { ${MEMBER_FIELDS} } } }`;',
        'const CLOSE = `mutation CloseTeam($id: ID!, $on: String!) { closeTeam(id: $id, on: $on) { id status } }`;',
        'const LIST = `query Teams($page: PageInput) { all: teams(page: $page) { id } }`;',
      ].join('\n'),
    );
    const { content, operations, leftOut } = generate(schema, dir);
    expect(operations).toBe(3);
    expect(leftOut).toEqual([]);
    expect(content).toContain("export type Status = 'OPEN' | 'CLOSED';");
    expect(content).toContain('export type PageInput = {\n  first?: number | null;\n  after?: string | null;\n};');
    expect(content).toContain(
      'export type TeamQuery = {\n  team: {\n    id: string;\n    name: string;\n    status: Status;\n    openedOn: string | null;\n    members: Array<{\n      professionalId: string;\n      since: string | null;\n    }>;\n  } | null;\n};',
    );
    expect(content).toContain('export type TeamVariables = {\n  id: string;\n};');
    expect(content).toContain('export type CloseTeamMutation = {');
    expect(content).toContain('export type TeamsQuery = {\n  all: Array<{\n    id: string;\n  }>;\n};');
    expect(content).toContain('export type TeamsVariables = {\n  page?: PageInput | null;\n};');
  });

  it('refuses an operation the schema does not allow, naming its file', () => {
    source('const TEAM = `query Team($id: ID!) { team(id: $id) { id size } }`;');
    expect(() => generate(schema, dir)).toThrow(/pages\/Team\.tsx.*Team is not valid against the supergraph[\s\S]*size/);
  });

  it('lists the operations it cannot type: without a name, or interpolating a value built at run time', () => {
    source(['const ANONYMOUS = `{ teams { id } }`;', 'const BUILT = `query Built { teams { ${fields()} } }`;'].join('\n'));
    const { operations, leftOut } = generate(schema, dir);
    expect(operations).toBe(0);
    expect(leftOut).toEqual([expect.stringContaining('ANONYMOUS (an operation without a name)'), expect.stringContaining('BUILT (interpolates a value')]);
  });
});
